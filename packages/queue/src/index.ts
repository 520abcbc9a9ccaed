/**
 * @spanrel/queue — batch prediction on many machines with BullMQ (Redis): one job per shard
 * of documents (DyGIE++ JSONL), workers that predict a shard with a spanrel model and write
 * its output atomically (skipping shards already done), stalled-job retry when a worker dies,
 * queue status. The `spanrel queue submit` / `spanrel queue status` / `spanrel worker`
 * commands are thin layers over this package.
 */
export {
  DEFAULT_ATTEMPTS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_QUEUE_NAME,
  DEFAULT_STALLED_INTERVAL_MS,
} from './queue-defaults.js';
export { describeRedisUrl, parseRedisUrl, redisConnection } from './redis-connection.js';
export { shardJobId, type ShardJobData, type ShardJobResult } from './shard-job.js';
export { assertDistinctOutputs, expandShardPattern, shardOutputPath } from './shard-paths.js';
export { tempPathFor, writeFileAtomic } from './atomic-write.js';
export { checkShardOutput, type OutputCheck } from './shard-output.js';
export { predictShard, workerName, type PredictShardOptions, type ShardPredictor } from './predict-shard.js';
export { modelPredictor } from './model-predictor.js';
export { openShardQueue, type OpenQueueOptions, type ShardQueue } from './shard-queue.js';
export { submitShards, type SubmitOptions, type SubmitSummary } from './submit-shards.js';
export { startShardWorker, type ShardWorker, type ShardWorkerOptions } from './shard-worker.js';
export { closeOnSignals, type SignalOptions } from './shutdown-signals.js';
export { formatQueueStatus, queueStatus, type FailedShard, type QueueStatus } from './queue-status.js';
export { REDIS_SERVER_MISSING, startRedisServer, type RedisServer } from './redis-server.js';
export { waitForRedis } from './wait-for-redis.js';
