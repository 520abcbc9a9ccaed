/**
 * `@spanrel/joint/parallel`: prediction on every core with worker threads
 * (Node only; the main entry stays free of Node's worker API).
 */
export { ShardedPredictor, defaultPredictWorkers, type ShardedPredictOptions, type ShardedPredictorOptions } from './sharded-predictor.js';
export { chunkSentences, type SentenceChunk } from './shard-plan.js';
export { shardedDevPredictor, type ShardedDevPredictor } from './sharded-dev-predictor.js';
