// The browser app's one job: classify public/picture.png with the default model on the backend
// the page chose, and publish { label, index } (or { error }) on window for the test to read.
import { buildModelGraph, parsePreprocessSpec, preprocessImages, toRgbImage } from '@swin/core';
import { loadWeights } from '@swin/weights';

async function fetchJson(url) {
  return (await fetch(url)).json();
}

async function decode(url) {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return toRgbImage({ width: bitmap.width, height: bitmap.height, channels: 4, data: new Uint8Array(data.buffer) });
}

export async function classifyPage(createBackend) {
  try {
    const bytes = new Uint8Array(await (await fetch('model/weights.safetensors')).arrayBuffer());
    const { weights, config } = loadWeights(bytes);
    const classes = await fetchJson('model/classes.json');
    const spec = parsePreprocessSpec(await fetchJson('model/preprocess.json'));
    const backend = await createBackend();
    const exe = await backend.compile(buildModelGraph(config, weights, { inputSize: [spec.inputSize[0], spec.inputSize[1]], outputs: ['logits'] }).graph);
    const logits = (await exe.run({ input: preprocessImages([await decode('picture.png')], spec) }))['logits'];
    const row = Array.from(logits.data);
    const index = row.indexOf(Math.max(...row));
    window.__swinResult = { backend: backend.name, index, label: classes[index] };
  } catch (err) {
    window.__swinResult = { error: String(err && err.stack ? err.stack : err) };
  }
}
