/**
 * Layers as {@link BaseModule}s, each registered under a versioned name and
 * rebuildable from its plain-JSON `config()`:
 * `"dense.v1"`, `"ffn.v1"`, `"layer-norm.v1"`, `"embedding.v1"`, `"highway.v1"`,
 * `"attention.v1"` (dispatching on `variant`) and the four attention variants.
 */
export { Dense, type DenseConfig } from './dense.js';
export { FeedForward, type FeedForwardConfig } from './ffn.js';
export { pairFeedForward } from './pair-feed-forward.js';
export { setFeedForwardRuntime, feedForwardRuntime, type FeedForwardRuntime, type FeedForwardLayers } from './feed-forward-inference.js';
export { LayerNorm, type LayerNormConfig } from './layer-norm.js';
export { Embedding, type EmbeddingConfig } from './embedding.js';
export { Highway, type HighwayConfig } from './highway.js';
export { GatedFusion, type GatedFusionConfig } from './gated-fusion.js';
export { INITIALIZER_NAMES, initializerFromName, type InitializerName } from './initializer-name.js';
export * from './attention/index.js';
export { registerNnModules } from './register.js';
export * from './config-checks.js';
