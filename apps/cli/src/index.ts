export { runCli, COMMANDS } from './main.js';
export { UsageError, type CliIO, type Command } from './command.js';
export { syntheticCorpus, SYNTHETIC_SCHEMA, type RandomSource } from './demo/synthetic-corpus.js';
