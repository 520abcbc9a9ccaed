import { registerBertEncoder } from '@spanrel/encoders';
import { registerPortableComponents } from './register-portable-components.js';

/**
 * Makes sure every component kind a joint model may name is in the process-wide
 * registry (the packages register on import; this keeps it true when a bundler
 * drops "unused" imports). Idempotent. Node only (BERT reads model folders);
 * the browser has `registerPortableComponents`.
 */
export function registerJointComponents(): void {
  registerPortableComponents();
  registerBertEncoder();
}
