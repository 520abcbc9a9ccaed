import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { DixitSpanHead } from './dixit-span-head.js';
import { LinearEntityClassifier } from './linear-entity-classifier.js';
import { MlpEntityClassifier } from './mlp-entity-classifier.js';
import { SpertSpanHead } from './spert-span-head.js';

/**
 * Registers the span heads and entity classifiers of this package under their
 * versioned names (`"spert-span-head.v1"`, `"dixit-span-head.v1"`,
 * `"linear-entity-classifier.v1"`, `"mlp-entity-classifier.v1"`). Idempotent;
 * runs on import for the process-wide registry.
 */
export function registerSpanHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [
    [SpertSpanHead.kind, (c) => new SpertSpanHead(c)],
    [DixitSpanHead.kind, (c) => new DixitSpanHead(c)],
    [LinearEntityClassifier.kind, (c) => new LinearEntityClassifier(c)],
    [MlpEntityClassifier.kind, (c) => new MlpEntityClassifier(c)],
  ];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerSpanHeads();
