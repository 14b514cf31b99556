// A library user's Node script (runs in a scratch project outside the repository, on packages
// installed from the registry): classify pictures with the default model on one backend and print
// JSON [{ file, index, label, probability }] (top-1, softmax over the logits).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { buildModelGraph, parsePreprocessSpec, preprocessImages, toRgbImage } from '@swin/core';
import { readWeightsFile } from '@swin/weights/node';

const [backendName, modelDir, ...images] = process.argv.slice(2);

async function openBackend(name) {
  if (name === 'onnx') return (await import('@swin/backend-onnx/node')).createOnnxBackend();
  if (name === 'onnx-web') return (await import('@swin/backend-onnx/web')).createOnnxBackend({ threads: 1 });
  if (name === 'tfjs-wasm') return (await import('@swin/backend-tfjs/node')).createTfjsNodeBackend('wasm');
  throw new Error(`unknown backend ${name}`);
}

const { weights, config } = readWeightsFile(join(modelDir, 'weights.safetensors'));
const classes = JSON.parse(readFileSync(join(modelDir, 'classes.json'), 'utf8'));
const spec = parsePreprocessSpec(JSON.parse(readFileSync(join(modelDir, 'preprocess.json'), 'utf8')));
const pictures = [];
for (const file of images) {
  const { data, info } = await sharp(file).toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  pictures.push(toRgbImage({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }));
}
const backend = await openBackend(backendName);
const exe = await backend.compile(buildModelGraph(config, weights, { inputSize: [spec.inputSize[0], spec.inputSize[1]], outputs: ['logits'] }).graph);
const logits = (await exe.run({ input: preprocessImages(pictures, spec) }))['logits'];
const k = config.num_classes;
const results = images.map((file, i) => {
  const row = Array.from(logits.data.subarray(i * k, (i + 1) * k));
  const max = Math.max(...row);
  const exp = row.map((v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const index = row.indexOf(max);
  return { file: basename(file), index, label: classes[index], probability: exp[index] / sum };
});
exe.dispose();
await backend.dispose();
console.log(JSON.stringify(results));
