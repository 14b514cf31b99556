// One-off check (not a test; minutes on Swin-T): the size-generic file of a full-size model with
// seeded weights against fixed-size files at several detection-like sizes, on onnxruntime-node.
//   node packages/backend-onnx/bench/check-dynamic-size.mjs [swin_v1|swin_v2|crossformer] ['{config overrides}'] [HxW ...]
// e.g. CrossFormer++-S: crossformer '{"embed_dim":64,"num_heads":[2,4,8,16],"depths":[2,2,18,2],
// "group_size":[4,4,14,7],"patch_size":[4,8,16,32],"crs_interval":[4,2,1,1],"merge_size":[[2,4],[2,4],[2,4]],"use_acl":true}'
import ort from 'onnxruntime-node';
import { SeededRandom, buildModelGraph, getModelFamily, randomModelWeights } from '@swin/core';
import { exportOnnx, onnxSessionOptions } from '@swin/backend-onnx';

const [familyId = 'swin_v1', ...rest] = process.argv.slice(2);
const overrides = rest[0]?.startsWith('{') ? JSON.parse(rest.shift()) : {};
const sizes = (rest.length ? rest : ['224x224', '256x256', '320x480', '225x300']).map((s) => s.split('x').map(Number));
const config = { ...getModelFamily(familyId).defaults, ...overrides };
const weights = randomModelWeights(config, 1);
const outputs = ['logits', 'stage0', 'stage1', 'stage2', 'stage3'];
const options = onnxSessionOptions({ threads: 2, executionProviders: ['cpu'] });
const dynamic = await ort.InferenceSession.create(exportOnnx(buildModelGraph(config, weights, { outputs }).graph, { dynamicSize: true }), options);
for (const [h, w] of sizes) {
  const fixed = await ort.InferenceSession.create(exportOnnx(buildModelGraph(config, weights, { inputSize: [h, w], outputs }).graph), options);
  const x = new ort.Tensor('float32', new SeededRandom(h + w).normalArray(3 * h * w), [1, 3, h, w]);
  const a = await fixed.run({ input: x });
  const b = await dynamic.run({ input: x });
  const row = outputs.map((o) => {
    let d = 0, m = 0;
    for (let i = 0; i < a[o].data.length; i++) [d, m] = [Math.max(d, Math.abs(a[o].data[i] - b[o].data[i])), Math.max(m, Math.abs(a[o].data[i]))];
    return `${o} [${b[o].dims.join(',')}] ${d.toExponential(1)} (max |x| ${m.toFixed(1)})`;
  });
  console.log(`${familyId} ${h}x${w}: ${row.join('; ')}`);
  await fixed.release();
}
await dynamic.release();
