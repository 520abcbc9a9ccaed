import { registerBertEncoder, registerBiLstmCharCnnEncoder } from '@spanrel/encoders';
import { registerRelationHeads, registerStsnRelationHeads } from '@spanrel/relation-heads';
import { registerSpanHeads, registerStsnSpanModules } from '@spanrel/span-heads';

/**
 * Puts every component kind that runs without Node (in a browser too) in the
 * process-wide registry: the BiLSTM and BERT encoders and every head. Idempotent; see
 * `registerJointComponents` for why it is called explicitly.
 */
export function registerPortableComponents(): void {
  registerBiLstmCharCnnEncoder();
  registerBertEncoder();
  registerSpanHeads();
  registerRelationHeads();
  registerStsnSpanModules();
  registerStsnRelationHeads();
}
