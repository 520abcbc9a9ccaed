import { BILSTM_PEAK_LR } from './encoder-specs.js';
import type { OptimizerSpec, TrainingSpec } from './joint-spec.js';

/**
 * SpERT's optimizer, which the SpERT, Ji 2020, two-phase and STSN presets share:
 * AdamW without bias correction (BertAdam), linear warmup then linear decay. The
 * peak rate is the BiLSTM encoder's; `withEncoder('bert:...')` sets the papers' 5e-5.
 */
export function warmupAdamW({ warmupProportion = 0.1, weightDecay = 0.01, eps = 1e-8, peakLr = BILSTM_PEAK_LR } = {}): OptimizerSpec {
  return {
    lr: { kind: 'linear-warmup-decay', peakLr, warmupProportion },
    weightDecay,
    beta1: 0.9,
    beta2: 0.999,
    eps,
    biasCorrection: false,
  };
}

/** Clipping, model selection and checkpoint cadence of the SpERT-style presets. */
export function spertStyleBookkeeping(): Pick<TrainingSpec, 'clipNorm' | 'earlyStoppingPatience' | 'selectionMetric' | 'checkpointEverySteps' | 'checkpointEverySeconds'> {
  return { clipNorm: 1.0, earlyStoppingPatience: null, selectionMetric: 'rePlus', checkpointEverySteps: 200, checkpointEverySeconds: 300 };
}
