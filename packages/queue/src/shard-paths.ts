/** Which files a `--input` pattern names, and where each shard's output goes. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const WILDCARD = /[*?[]/;

/** A file-name pattern (`*`, `?`, `[abc]`) as a regular expression over whole names. */
function nameMatcher(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) throw new Error(`"${pattern}": "[" without "]"`);
      source += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * The shard files of a pattern, sorted, as absolute paths: a file; a folder (its `.jsonl`
 * files); or a folder and a file-name pattern, `shards/*.jsonl` (wildcards `*`, `?`, `[...]`
 * in the file name only, so that a quoted pattern works the same on every shell). Names
 * starting with `.` are left out unless the pattern starts with one. Throws when nothing matches.
 */
export function expandShardPattern(pattern: string): string[] {
  const path = resolve(pattern);
  let files: string[];
  if (!WILDCARD.test(pattern)) {
    if (!existsSync(path)) throw new Error(`${pattern}: no such file or folder`);
    files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((n) => n.endsWith('.jsonl') && !n.startsWith('.'))
          .map((n) => join(path, n))
          .filter((p) => statSync(p).isFile())
      : [path];
  } else {
    const dir = dirname(path);
    const name = basename(path);
    if (WILDCARD.test(dirname(pattern))) throw new Error(`${pattern}: wildcards are supported in the file name only (e.g. shards/*.jsonl), not in folders`);
    if (!existsSync(dir)) throw new Error(`${pattern}: no such folder ${dir}`);
    const matches = nameMatcher(name);
    files = readdirSync(dir)
      .filter((n) => matches.test(n) && (name.startsWith('.') || !n.startsWith('.')))
      .map((n) => join(dir, n))
      .filter((p) => statSync(p).isFile());
  }
  if (files.length === 0) throw new Error(`${pattern}: matches no shard file`);
  return files.sort();
}

/** Where a shard's predictions go: `outDir/<shard file name>` (absolute). */
export function shardOutputPath(shard: string, outDir: string): string {
  return join(resolve(outDir), basename(shard));
}

/** Throws when two shards would write the same output file (same name in different folders). */
export function assertDistinctOutputs(shards: readonly string[], outDir: string): void {
  const seen = new Map<string, string>();
  for (const shard of shards) {
    const out = shardOutputPath(shard, outDir);
    const other = seen.get(out);
    if (other) throw new Error(`${other} and ${shard} would both write ${out}: give the shards distinct file names`);
    seen.set(out, shard);
  }
}
