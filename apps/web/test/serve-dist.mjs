// A tiny static file server for the built page (dist/): the e2e test starts it on 127.0.0.1 with
// an ephemeral port; `pnpm preview` runs it on port 4173. Node built-ins only.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.safetensors': 'application/octet-stream',
};

/**
 * Serves `root` on host:port (0 = any free port), plus `mounts` (URL prefix like '/heldout/' ->
 * directory); resolves to the server and its base URL.
 */
export function serveDirectory(root, { host = '127.0.0.1', port = 0, mounts = {} } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const mount = Object.keys(mounts).find((prefix) => url.pathname.startsWith(prefix));
    const base = resolve(mount ? mounts[mount] : root);
    const rest = mount ? url.pathname.slice(mount.length) : url.pathname;
    let path = normalize(join(base, decodeURIComponent(rest)));
    if (path !== base && !path.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(path).isDirectory()) path = join(path, 'index.html');
      const size = statSync(path).size;
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'no-store' });
      createReadStream(path).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}`);
    }
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolveServer({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
  const { url } = await serveDirectory(root, { port: Number(process.env.PORT ?? 4173) });
  console.log(`serving ${root} at ${url}`);
}
