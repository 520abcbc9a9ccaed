import type * as Transformers from '@huggingface/transformers';

/**
 * transformers.js (`@huggingface/transformers`) is an OPTIONAL peer dependency
 * of @spanrel/encoders: only the BERT-family encoders (its tokenizers) and the
 * frozen ONNX encoders (its tokenizers + onnxruntime) need it, and it brings
 * onnxruntime-node, onnxruntime-web and sharp (~450 MB installed). It is loaded
 * on first use of those encoders, never when the package is imported, and a
 * missing install is an error that says what to install.
 *
 * This module imports no Node built-in (the BERT encoder, in the browser entry
 * too, uses it): Node's `require` comes through `process.getBuiltinModule`, and
 * a browser page hands over the transformers.js it bundled with
 * {@link provideTransformers}.
 */
export type TransformersModule = typeof Transformers;

/** The package name. */
export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
/** The range @spanrel/encoders is tested with (its peerDependencies range). */
export const TRANSFORMERS_RANGE = '^4.3.1';
/** `code` of the error thrown when transformers.js is not installed. */
export const TRANSFORMERS_MISSING = 'SPANREL_TRANSFORMERS_MISSING';

/** How transformers.js is loaded: an ES `import()` (async first use) and a `require` (synchronous constructors). */
export interface TransformersLoader {
  import(): Promise<unknown>;
  require(): unknown;
}

/** What to do in a browser, where transformers.js cannot be found by name. */
const IN_A_BROWSER =
  `in a browser, bundle transformers.js with the page and hand it over before loading a BERT model: ` +
  `import * as transformers from '${TRANSFORMERS_PACKAGE}'; provideTransformers(transformers)`;

type ModuleBuiltin = { createRequire(from: string | URL): (id: string) => unknown };

/** Node's `node:module` without importing it (undefined in a browser, and in Node < 20.16). */
function nodeModuleBuiltin(): ModuleBuiltin | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return process?.getBuiltinModule?.('node:module') as ModuleBuiltin | undefined;
}

// A specifier in a variable: bundlers leave this import() alone (a browser bundle
// must not need transformers.js installed), and Node resolves it from this file.
const specifier: string = TRANSFORMERS_PACKAGE;

const nodeLoader: TransformersLoader = {
  import: () => import(/* @vite-ignore */ specifier),
  require: () => {
    const builtin = nodeModuleBuiltin();
    if (!builtin) throw new Error('no synchronous loading without Node.js >= 20.16; await loadTransformers() first');
    // Resolved from this file, i.e. from where @spanrel/encoders is installed (its peer).
    return builtin.createRequire(import.meta.url)(TRANSFORMERS_PACKAGE);
  },
};

let loader: TransformersLoader = nodeLoader;
let loaded: TransformersModule | undefined;
let loading: Promise<TransformersModule> | undefined;

/**
 * Replaces how transformers.js is loaded (tests, bundlers, or a copy the caller
 * already imported: `setTransformersLoader({ import: async () => hf, require: () => hf })`);
 * no argument restores the default. Forgets a module loaded before.
 */
export function setTransformersLoader(next?: TransformersLoader): void {
  loader = next ?? nodeLoader;
  loaded = undefined;
  loading = undefined;
}

/**
 * Hands over a transformers.js module the caller imported (what a browser page
 * does: it bundles transformers.js itself); the BERT encoder then needs no loading.
 */
export function provideTransformers(module: unknown): void {
  setTransformersLoader({ import: async () => module, require: () => module });
}

const NOT_FOUND = /Cannot find (?:package|module) ['"]@huggingface\/transformers['"]/;

/**
 * The error for a failed load of transformers.js by `feature` (e.g. `"bert-encoder.v1"`):
 * when the package itself cannot be found (`ERR_MODULE_NOT_FOUND` / `MODULE_NOT_FOUND`
 * naming `@huggingface/transformers`), one that says to install it and why (code
 * {@link TRANSFORMERS_MISSING}); any other failure (e.g. a dependency of it missing)
 * keeps the original message. The original error is the `cause`.
 */
export function transformersLoadError(feature: string, cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && NOT_FOUND.test(message)) {
    const error = new Error(
      `${feature} needs transformers.js, which is not installed: install it next to @spanrel/encoders with ` +
        `"npm install ${TRANSFORMERS_PACKAGE}@${TRANSFORMERS_RANGE}". ` +
        `It runs the Hugging Face tokenizers of the BERT-family encoders and the ONNX models of the frozen transformer encoders; ` +
        `@spanrel/encoders declares it as an optional peer dependency (it brings onnxruntime and sharp, ~450 MB), ` +
        `so the other encoders and the heads install without it. The "spanrel" CLI depends on it already.`,
      { cause },
    );
    (error as Error & { code: string }).code = TRANSFORMERS_MISSING;
    return error;
  }
  if (!nodeModuleBuiltin()) return new Error(`${feature}: ${TRANSFORMERS_PACKAGE} could not be loaded (${message}); ${IN_A_BROWSER}`, { cause });
  return new Error(`${feature}: ${TRANSFORMERS_PACKAGE} is installed but could not be loaded (${message})`, { cause });
}

function checked(feature: string, module: unknown): TransformersModule {
  const m = module as Partial<TransformersModule> | null;
  if (!m || typeof m.PreTrainedTokenizer !== 'function') {
    throw new Error(`${feature}: ${TRANSFORMERS_PACKAGE} loaded, but it has no PreTrainedTokenizer export (is it version ${TRANSFORMERS_RANGE}?)`);
  }
  return m as TransformersModule;
}

/**
 * transformers.js, imported with `import()` on first call and reused after.
 * @param feature who needs it, named in the error when it is not installed
 */
export async function loadTransformers(feature: string): Promise<TransformersModule> {
  if (loaded) return loaded;
  loading ??= loader.import().then(
    (module) => (loaded = checked(feature, module)),
    (e: unknown) => {
      loading = undefined;
      throw transformersLoadError(feature, e);
    },
  );
  return loading;
}

/**
 * transformers.js for synchronous code (the BERT encoder's constructor, which the
 * registry calls): the module {@link loadTransformers} loaded, else `require`d now.
 */
export function loadTransformersSync(feature: string): TransformersModule {
  if (loaded) return loaded;
  let module: unknown;
  try {
    module = loader.require();
  } catch (e) {
    throw transformersLoadError(feature, e);
  }
  return (loaded = checked(feature, module));
}
