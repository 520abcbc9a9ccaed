/**
 * `@spanrel/joint/parallel`: prediction and training on every core with worker
 * threads (Node only; the main entry stays free of Node's worker API).
 */
export { ShardedPredictor, defaultPredictWorkers, type ShardedPredictOptions, type ShardedPredictorOptions } from './sharded-predictor.js';
export { chunkSentences, type SentenceChunk } from './shard-plan.js';
export { shardedDevPredictor, type ShardedDevPredictor } from './sharded-dev-predictor.js';
export { dataParallelSteps, defaultGradientWorkers, type DataParallelOptions, type DataParallelSteps, type DataParallelTimings } from './data-parallel-steps.js';
export { batchShards, sliceBatch, type BatchShard } from './batch-shards.js';
