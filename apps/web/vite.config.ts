import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The page loads the committed default model and sample pictures as static files at the same paths
 * they have in the repository (models/default/..., examples/...). They stay where they are (one
 * copy in git): served from there by the dev server, copied into dist by the build. The held-out
 * set is not shipped.
 */
const STATIC_TREES = [
  { dir: 'models/default', skip: (rel: string) => rel.startsWith('heldout') },
  { dir: 'examples', skip: (rel: string) => rel.endsWith('.md') },
];

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.safetensors': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
};

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** The sample pictures' file names, served as examples/index.json for the page's sample strip. */
function sampleIndex(): Buffer {
  const names = readdirSync(join(REPO, 'examples')).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
  return Buffer.from(`${JSON.stringify(names)}\n`);
}

function repoAssets(): Plugin {
  const files = () => [
    ...STATIC_TREES.flatMap(({ dir, skip }) =>
      listFiles(join(REPO, dir))
        .map((abs) => ({ abs, rel: relative(join(REPO, dir), abs).split(sep).join('/'), url: `${dir}/${relative(join(REPO, dir), abs).split(sep).join('/')}` }))
        .filter((f) => !skip(f.rel))
        .map((f) => ({ url: f.url, ext: extname(f.abs), read: () => readFileSync(f.abs) })),
    ),
    { url: 'examples/index.json', ext: '.json', read: sampleIndex },
  ];
  return {
    name: 'swin-repo-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''));
        const hit = files().find((f) => f.url === path);
        if (!hit) return next();
        res.setHeader('Content-Type', MIME[hit.ext] ?? 'application/octet-stream');
        res.end(hit.read());
      });
    },
    generateBundle() {
      for (const f of files()) this.emitFile({ type: 'asset', fileName: f.url, source: f.read() });
    },
  };
}

export default defineConfig({
  // relative URLs, so dist works from any path (a static host, the e2e server)
  base: './',
  plugins: [repoAssets()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // the classify worker imports backends lazily (code-split chunks): ES module workers
  worker: { format: 'es' },
  // onnxruntime-web and tfjs-backend-wasm fetch their .wasm at run time: keep them out of the
  // dependency pre-bundler so their own URL logic sees the real files.
  optimizeDeps: { exclude: ['onnxruntime-web', '@tensorflow/tfjs-backend-wasm'] },
});
