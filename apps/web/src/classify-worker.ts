// A Web Worker that classifies with @swin/pipeline: no DOM, pictures decoded with createImageBitmap
// and OffscreenCanvas, the model fetched (and kept in Cache Storage) by the pipeline itself.
import { loadModel } from '@swin/pipeline/browser';
import { parsePreprocessSpec } from '@swin/core';
import './page-backends.js';

/** What the page asks: a model directory laid out like models/default, a picture URL, a backend ('auto' allowed). */
export interface WorkerRequest {
  readonly modelUrl: string;
  readonly pictureUrl: string;
  readonly backend: string;
}

/** The answer: the top class, and the backend that ran (with 'auto', the one chosen). */
export type WorkerReply = { readonly label: string; readonly score: number; readonly backend: string; readonly choice: string } | { readonly error: string };

async function answer(req: WorkerRequest): Promise<WorkerReply> {
  const base = req.modelUrl.endsWith('/') ? req.modelUrl : `${req.modelUrl}/`;
  const json = async (file: string): Promise<unknown> => (await fetch(`${base}${file}`)).json();
  const [config, labels, preprocess] = await Promise.all([json('config.json'), json('classes.json'), json('preprocess.json')]);
  const model = await loadModel(`${base}weights.safetensors`, { backend: req.backend, config: config as Record<string, unknown>, labels: labels as string[], preprocess: parsePreprocessSpec(preprocess) });
  try {
    const best = (await model.classify(req.pictureUrl, { topk: 1 }))[0]?.[0];
    if (!best) throw new Error(`no class for ${req.pictureUrl}`);
    return { label: best.label, score: best.score, backend: model.info.backend, choice: model.info.backendChoice };
  } finally {
    await model.dispose();
  }
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  answer(e.data).then(
    (reply) => self.postMessage(reply),
    (err: unknown) => self.postMessage({ error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }),
  );
};
