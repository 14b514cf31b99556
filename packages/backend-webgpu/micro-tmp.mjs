import { createDawnGpu } from './dist/node/index.js';
import { matmulDispatch } from './dist/kernels/matmul.js';
const { gpu } = await createDawnGpu();
const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice();
const M = 3136, K = 96, N = 384;
const mk = (n) => { const b = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST }); device.queue.writeBuffer(b, 0, new Float32Array(n).fill(0.01)); return b; };
const A = mk(M * K), B = mk(K * N), O = mk(M * N), D = mk(16);
async function time(code, params, wg, bufs) {
  const module = device.createShaderModule({ code });
  const t0 = performance.now();
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const tc = performance.now() - t0;
  const u = device.createBuffer({ size: Math.max(16, params.byteLength), usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(u, 0, params);
  const entries = [{ binding: 0, resource: { buffer: u } }, ...bufs.map((b, i) => ({ binding: i + 1, resource: { buffer: b } }))];
  const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
  const ts = [];
  for (let i = 0; i < 3; i++) {
    const enc = device.createCommandEncoder(); const p = enc.beginComputePass(); p.setPipeline(pipeline); p.setBindGroup(0, bg); p.dispatchWorkgroups(...wg); p.end();
    const t = performance.now(); device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone(); ts.push(performance.now() - t);
  }
  return `compile ${tc.toFixed(0)} ms, run ${ts.map(t=>t.toFixed(0)).join('/')} ms, ${(2*M*N*K/ (Math.min(...ts)/1000) / 1e9).toFixed(2)} GFLOP/s`;
}
for (const tiling of ['workgroup', 'registers']) {
  const d = matmulDispatch({ float: 'f32', tiling, a: 'a', b: 'b', out: 'o', m: M, k: K, n: N, transB: false });
  console.log(tiling, await time(d.shader.code(), d.params, d.workgroups, [A, B, D, D, O]));
}
const minimal = `
@group(0) @binding(0) var<uniform> P: vec4<u32>;
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> O: array<vec4<f32>>;
@compute @workgroup_size(WGX, WGY)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let M = P.x; let K = P.y; let N = P.z;
  let col = gid.x * 4u; let row = gid.y * 4u;
  if (row >= M || col >= N) { return; }
  let K4 = K / 4u; let N4 = N / 4u;
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  var ai = row * K4; var bi = gid.x;
  for (var k = 0u; k < K4; k++) {
    let b0 = B[bi]; let b1 = B[bi + N4]; let b2 = B[bi + 2u * N4]; let b3 = B[bi + 3u * N4];
    let a0 = A[ai]; let a1 = A[ai + K4]; let a2 = A[ai + 2u * K4]; let a3 = A[ai + 3u * K4];
    acc0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
    acc1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
    acc2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
    acc3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
    ai += 1u; bi += 4u * N4;
  }
  O[row * N4 + gid.x] = acc0; O[(row + 1u) * N4 + gid.x] = acc1; O[(row + 2u) * N4 + gid.x] = acc2; O[(row + 3u) * N4 + gid.x] = acc3;
}`;
for (const [x, y] of [[8, 8], [16, 4], [4, 16], [32, 1], [16, 16]]) {
  console.log('minimal', x, y, await time(minimal.replace('WGX', x).replace('WGY', y), new Uint32Array([M, K, N, 0]), [Math.ceil(N / 4 / x), Math.ceil(M / 4 / y), 1], [A, B, O]));
}
device.destroy();
