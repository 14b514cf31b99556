import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModelGraph, dimsOf, inferModelConfig, type Graph } from '../src/index.js';
import { FIXTURES_DIR, listSafetensorsFixtures, readJson, readNpy, readSafetensorsF32 } from './helpers/fixtures.js';

/**
 * sha256 of everything a graph is: inputs, outputs, nodes in order (op, name, inputs, output, attrs),
 * every value's type, metadata, and each constant's name, dtype, shape and bytes.
 */
function graphHash(graph: Graph): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ inputs: graph.inputs, outputs: graph.outputs, nodes: graph.nodes, dynamicBatch: graph.dynamicBatch, metadata: graph.metadata }));
  hash.update(JSON.stringify([...graph.values]));
  for (const [name, t] of graph.constants) {
    hash.update(JSON.stringify([name, t.dtype, t.shape]));
    hash.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Every fixture's graph (all outputs, at the fixture's input size), plus each family at a size it
 * was not built for (padding, shrunk windows / groups). Recorded from the builders as they were; a
 * refactor of the builders must keep them node for node (a deliberate change of graph updates them).
 */
const EXPECTED: Record<string, string> = {
  "cf_official_t32": "baa1ab609bd2256e",
  "cf_official_t32@40x48": "e2a454da5a5fdb09",
  "cf_rand_3stage_t32_nonorm_noqkvbias": "009a9a879e5c9024",
  "cf_rand_rect_24x40_pad": "5cc57f6c8cd7b9e6",
  "cfpp_default_3stage_7_14_nomask_48": "9b70386fe7bda082",
  "cfpp_rand_3stage_alter_pad1_adaptive": "62387baf40ac8f34",
  "cfpp_rand_3stage_alter_pad1_adaptive@52x60": "3397f4a56fda40a2",
  "cfpp_rand_cpe_acl_rect_40x56": "74990b998d21918e",
  "cfpp_rand_cpe_acl_rect_40x56@40x72": "70842e035ef5d50f",
  "cfpp_rand_linear_div_cpe_nomask_pad": "c90b49e9ab77d673",
  "cfpp_rand_linear_rect_72x40_pad1": "93be34ff5b034ee7",
  "v1_rand_4stage_64_w2": "3b0ed165045b0f1f",
  "v1_rand_56_w7": "43c00a6079a59e5d",
  "v1_rand_96_w12": "536ce8c39c628bc5",
  "v1_rand_ape_t32_w4": "07166dfb5dde0c66",
  "v1_rand_headless_t32_w4": "3c30ace1c51622ad",
  "v1_rand_nopatchnorm_qkvfalse_mlp2_t32_w4": "948b6fa06e1e9b75",
  "v1_rand_pad_48_w5": "4853c721e52ce993",
  "v1_rand_pad_odd_rect_36x52_w4": "80c910aa52e44b57",
  "v1_rand_rect_32x64_w4": "eed269523e6f888c",
  "v1_rand_shrink_32_w4_3stage": "a345b629613a1ce3",
  "v1_rand_t32_w4": "556bb1237ab211aa",
  "v1_rand_t32_w4@40x56": "60676cbe26510a81",
  "v1_torchvision_112x192_w7": "063d430cbc11d010",
  "v2_official_t32_w4": "f76fbbdcf488b89c",
  "v2_rand_4stage_p2_20_w2": "05f040e2fb28089d",
  "v2_rand_pad_odd_rect_36x52_w4_ape_noqkvbias": "d5ce34b8390ff0ab",
  "v2_rand_pws_t32_w4": "16794ac3f6c50c9b",
  "v2_rand_pws_t32_w4@44x36": "30ed14960eb94b9d",
  "v2_torchvision_192x320_w8": "256a1f492f3224f6",
  "v2_torchvision_256_w8": "74617469a2c12204",
};

/** Extra sizes per fixture: [rows, columns]. */
const OTHER_SIZES: Record<string, [number, number]> = {
  v1_rand_t32_w4: [40, 56],
  v2_rand_pws_t32_w4: [44, 36],
  cf_official_t32: [40, 48],
  cfpp_rand_cpe_acl_rect_40x56: [40, 72],
  cfpp_rand_3stage_alter_pad1_adaptive: [52, 60],
};

describe('model graphs stay node for node what they were', () => {
  it('every fixture family and size hashes as recorded', () => {
    const got: Record<string, string> = {};
    for (const name of listSafetensorsFixtures()) {
      const dir = join(FIXTURES_DIR, name);
      const { tensors } = readSafetensorsF32(join(dir, 'weights.safetensors'));
      const config = inferModelConfig(tensors, readJson<Record<string, unknown>>(join(dir, 'config.json')));
      const [, , h, w] = dimsOf(readNpy(join(dir, 'input.npy')).shape, 4, `${name}/input.npy`);
      got[name] = graphHash(buildModelGraph(config, tensors, { inputSize: [h, w], outputs: 'all' }).graph);
      const other = OTHER_SIZES[name];
      if (other) got[`${name}@${other[0]}x${other[1]}`] = graphHash(buildModelGraph(config, tensors, { inputSize: other, batch: 2 }).graph);
    }
    expect(Object.keys(got).length).toBe(listSafetensorsFixtures().length + Object.keys(OTHER_SIZES).length);
    expect(got).toEqual(EXPECTED);
  });
});
