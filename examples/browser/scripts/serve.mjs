/**
 * A tiny static server for the built page (Node only; the page itself imports
 * no Node built-in): the page folder at `/`, a model folder at `/model/`, on
 * 127.0.0.1.
 *
 *   node scripts/serve.mjs --model DIR [--page DIR] [--port 8080]
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  // instantiateStreaming needs this type, else the wasm backend falls back to a slower path with a warning.
  '.wasm': 'application/wasm',
};

/** The file under `root` that `urlPath` names, or undefined (also for paths that climb out of `root`). */
function fileUnder(root, urlPath) {
  const path = resolve(root, `.${decodeURIComponent(urlPath)}`);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return fileUnder(root, `${urlPath.replace(/\/?$/, '/')}index.html`);
    return stat.isFile() ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Serves `pageDir` at `/` and `modelDir` at `/model/` on 127.0.0.1:`port`
 * (0: any free port). Resolves to the page's URL and a `close()`.
 */
export function servePage({ pageDir, modelDir, port = 0 }) {
  const roots = { page: resolve(pageDir), model: resolve(modelDir) };
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const file = pathname.startsWith('/model/') ? fileUnder(roots.model, pathname.slice('/model'.length)) : fileUnder(roots.page, pathname);
    if (!file || request.method !== 'GET') {
      response.writeHead(file ? 405 : 404, { 'content-type': 'text/plain' }).end(file ? 'method not allowed' : 'not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address();
      resolveServer({ url: `http://127.0.0.1:${actual}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const modelDir = option('--model');
  if (!modelDir) {
    console.error('usage: node scripts/serve.mjs --model DIR [--page DIR] [--port 8080]');
    process.exit(2);
  }
  const pageDir = option('--page', join(fileURLToPath(new URL('..', import.meta.url)), 'dist'));
  const { url } = await servePage({ pageDir, modelDir, port: Number(option('--port', '8080')) });
  console.log(`serving ${pageDir} at ${url} and the model ${resolve(modelDir)} at ${url}model/ (Ctrl-C stops)`);
}
