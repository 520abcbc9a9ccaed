/**
 * A Node built-in module got at run time through `process.getBuiltinModule`
 * (Node >= 20.16), not imported: modules that need Node only on some paths
 * (finding and downloading a BERT model folder, loading transformers.js
 * synchronously) then still bundle for a browser, where those paths throw.
 */
export function nodeBuiltin<T>(id: `node:${string}`, feature: string): T {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const module = process?.getBuiltinModule?.(id);
  if (!module) throw new Error(`${feature} needs Node.js >= 20.16 (${id}); in a browser, load a saved model from its files (loadModelFromUrl / loadModelFromFiles)`);
  return module as T;
}
