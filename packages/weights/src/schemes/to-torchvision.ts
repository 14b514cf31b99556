import { ConfigError, WeightError, dimAt, familyOf, logSpacedRelativeCoords, relativePositionIndex, resolveBlockGeometry, stageResolutions, tensor, type ModelConfig } from '@swin/core';
import { concatLazy, derivedLazy, eagerTensor, type LazyTensor } from '../tensors/lazy-tensor.js';

/** What the architecture must be for torchvision's SwinTransformer to compute the same function. */
interface TorchvisionShape {
  readonly depths: readonly number[];
  readonly window: number;
  readonly patch: number;
  readonly pretrainedWindows: readonly number[];
}

/**
 * Canonical weights in torchvision's names (the inverse of fromTorchvision), for
 * `swin convert --scheme torchvision`: `torchvision.models.SwinTransformer` (swin_t/s/b, or with
 * `block=SwinTransformerBlockV2, downsample_layer=PatchMergingV2` for swin_v2_t/s/b) loads the result
 * with `load_state_dict(strict=True)` and computes what this model computes. torchvision's buffers are
 * written too (it loads them): flattened int64 `relative_position_index`, and for Swin V2 the
 * `relative_coords_table` normalised by the pretrained window (so a fine-tuned model keeps its
 * coordinates). Swin V2's q_bias / v_bias become one 3C `qkv.bias` with a zero key third.
 *
 * What torchvision cannot express is refused by name: an absolute position embedding, no patch norm,
 * no head, other than 3 input channels, a qk_scale, a LayerNorm eps other than 1e-5, and a window
 * rule that differs from torchvision's at the training size (the official rule shrinks the window
 * where a stage is not larger than it; torchvision never does).
 */
export function toTorchvision(tensors: ReadonlyMap<string, LazyTensor>, config: ModelConfig): Map<string, LazyTensor> {
  const shape = torchvisionShape(tensors, config);
  const out = new Map<string, LazyTensor>();
  const put = (name: string, t: LazyTensor) => out.set(name, t);
  for (const [name, t] of tensors) {
    let m: RegExpExecArray | null;
    if ((m = /^patch_embed\.(proj|norm)\.(weight|bias)$/.exec(name))) put(`features.0.${m[1] === 'proj' ? 0 : 2}.${m[2]}`, t);
    else if ((m = /^layers\.(\d+)\.blocks\.(\d+)\.(.+)$/.exec(name))) {
      // The pattern's three groups always take part in a match.
      const [stage, block, rest] = [Number(m[1]), Number(m[2]), m[3]!];
      const pre = `features.${2 * stage + 1}.${block}`;
      if (rest === 'attn.v_bias') continue; // written with q_bias
      if (rest === 'attn.q_bias') {
        const v = tensors.get(`layers.${stage}.blocks.${block}.attn.v_bias`);
        if (!v) throw new WeightError('MISSING_WEIGHT', `layers.${stage}.blocks.${block}.attn.v_bias`, `missing weight 'layers.${stage}.blocks.${block}.attn.v_bias': torchvision's qkv.bias needs it beside q_bias`);
        put(`${pre}.attn.qkv.bias`, concatLazy([t, zeros(dimAt(t.shape, 0, name)), v]));
      } else if (/^(norm[12]\.(weight|bias)|attn\.(qkv|proj)\.(weight|bias)|attn\.relative_position_bias_table|attn\.logit_scale|attn\.cpb_mlp\.(0\.weight|0\.bias|2\.weight))$/.test(rest)) {
        put(`${pre}.${rest}`, t);
      } else if ((m = /^mlp\.fc([12])\.(weight|bias)$/.exec(rest))) {
        put(`${pre}.mlp.${m[1] === '1' ? 0 : 3}.${m[2]}`, t);
      } else unmapped(name);
      if (rest === 'attn.qkv.weight') {
        // torchvision's attention always has a qkv bias: zeros compute what no bias computes.
        const local = `layers.${stage}.blocks.${block}.attn`;
        if (!tensors.has(`${local}.qkv.bias`) && !tensors.has(`${local}.q_bias`)) put(`${pre}.attn.qkv.bias`, zeros(dimAt(t.shape, 0, name)));
        putBuffers(out, pre, tensors, stage, block, shape);
      }
    } else if ((m = /^layers\.(\d+)\.downsample\.((?:reduction|norm)\.(?:weight|bias))$/.exec(name))) put(`features.${2 * Number(m[1]) + 2}.${m[2]}`, t);
    else if (/^(norm|head)\.(weight|bias)$/.test(name)) put(name, t);
    else unmapped(name);
  }
  return out;
}

/** torchvision's buffers of one block: the flattened index, and Swin V2's coordinate table. */
function putBuffers(out: Map<string, LazyTensor>, pre: string, tensors: ReadonlyMap<string, LazyTensor>, stage: number, block: number, shape: TorchvisionShape): void {
  const w = shape.window;
  const v2 = tensors.has(`layers.${stage}.blocks.${block}.attn.logit_scale`);
  if (v2) {
    const side = 2 * w - 1;
    out.set(`${pre}.attn.relative_coords_table`, derivedLazy('float32', [1, side, side, 2], () => {
      const t = logSpacedRelativeCoords(w, shape.pretrainedWindows[stage] ?? 0);
      return tensor('float32', [1, side, side, 2], t.data);
    }));
  }
  out.set(`${pre}.attn.relative_position_index`, derivedLazy('int64', [w ** 4], () => tensor('int64', [w ** 4], BigInt64Array.from(relativePositionIndex(w, w).data, (v) => BigInt(v)))));
}

function zeros(n: number): LazyTensor {
  return eagerTensor(tensor('float32', [n], new Float32Array(n)));
}

function unmapped(name: string): never {
  throw new WeightError('UNEXPECTED_WEIGHT', name, `torchvision's SwinTransformer has no weight for '${name}' (it has no absolute position embedding and only the Swin V1 / V2 layout): cannot write --scheme torchvision`);
}

function refuse(key: string, expected: string, found: unknown): never {
  throw new ConfigError(`config.${key}: torchvision's SwinTransformer needs ${expected}, found ${JSON.stringify(found)}: cannot write --scheme torchvision`);
}

/** Checks the architecture against what torchvision's SwinTransformer can be, and returns what the writer needs. */
function torchvisionShape(tensors: ReadonlyMap<string, LazyTensor>, config: ModelConfig): TorchvisionShape {
  const c = config as unknown as Readonly<Record<string, unknown>>;
  const window = c['window_size'];
  const patch = c['patch_size'];
  const depths = c['depths'] as readonly number[];
  if (typeof window !== 'number' || typeof patch !== 'number') refuse('window_size', 'one square window and patch size (Swin V1 or V2)', { window_size: window, patch_size: patch });
  if (c['ape'] === true) refuse('ape', 'false (it has no absolute position embedding)', c['ape']);
  if (c['patch_norm'] === false) refuse('patch_norm', 'true (its patch embedding ends with a LayerNorm)', c['patch_norm']);
  if (c['num_classes'] === 0) refuse('num_classes', 'a head (num_classes > 0)', c['num_classes']);
  if (c['in_chans'] !== 3) refuse('in_chans', '3 (its patch embedding takes RGB)', c['in_chans']);
  if (c['qk_scale'] !== undefined && c['qk_scale'] !== null) refuse('qk_scale', 'null (it scales q by head_dim^-0.5)', c['qk_scale']);
  if (c['layer_norm_eps'] !== undefined && c['layer_norm_eps'] !== 1e-5) refuse('layer_norm_eps', '1e-5', c['layer_norm_eps']);
  const embed = c['embed_dim'] as number;
  const ratio = c['mlp_ratio'] as number;
  depths.forEach((_, i) => {
    const dim = embed * 2 ** i;
    if (Math.floor(dim * ratio) !== Math.round(dim * ratio)) refuse('mlp_ratio', `int(${dim} * mlp_ratio) hidden units to equal ours`, ratio);
  });
  // The window rule: torchvision never shrinks the window; the model's rule must agree at its training size.
  const rule = c['window_rule'] === 'torchvision' ? 'torchvision' : 'official';
  if (rule !== 'torchvision') {
    const [h, w] = familyOf(config).imageSize(config);
    stageResolutions(h, w, patch, depths.length).forEach(([sh, sw], stage) => {
      for (const block of [0, 1]) {
        const ours = resolveBlockGeometry(stage, block, sh, sw, window);
        const theirs = resolveBlockGeometry(stage, block, sh, sw, window, 'torchvision');
        if (ours.window !== theirs.window || ours.shifts[0] !== theirs.shifts[0] || ours.shifts[1] !== theirs.shifts[1]) {
          refuse(
            'window_size',
            `every stage larger than the window on both axes or equal to it on both (it never shrinks the window); stage ${stage} is ${sh}x${sw} at img_size ${h}x${w}, where this model uses window ${ours.window}, shift [${ours.shifts.join(', ')}] and torchvision would use window ${theirs.window}, shift [${theirs.shifts.join(', ')}]`,
            window,
          );
        }
      }
    });
  }
  if (!tensors.has('head.weight')) refuse('num_classes', 'a head (num_classes > 0)', 0);
  const pretrained = (c['pretrained_window_sizes'] as readonly number[] | undefined) ?? depths.map(() => 0);
  return { depths, window, patch, pretrainedWindows: pretrained };
}
