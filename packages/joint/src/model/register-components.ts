import { registerBertEncoder, registerBiLstmCharCnnEncoder } from '@spanrel/encoders';
import { registerRelationHeads, registerStsnRelationHeads } from '@spanrel/relation-heads';
import { registerSpanHeads, registerStsnSpanModules } from '@spanrel/span-heads';

/**
 * Makes sure every component kind a joint model may name is in the process-wide
 * registry (the packages register on import; this keeps it true when a bundler
 * drops "unused" imports). Idempotent.
 */
export function registerJointComponents(): void {
  registerBiLstmCharCnnEncoder();
  registerBertEncoder();
  registerSpanHeads();
  registerRelationHeads();
  registerStsnSpanModules();
  registerStsnRelationHeads();
}
