import { FormatError } from '@swin/core';
import type { StoredDType } from '../dtypes/stored-dtype.js';
import type { GlobalAllowList, GlobalHandler } from '../pickle/safe-unpickler.js';
import { asSafeInt, describePy, PyDict, PyGlobal, PyOpaque, PySet, PyTuple, type PyValue } from '../pickle/python-values.js';
import { TORCH_DTYPES, TORCH_STORAGE_TYPES, TorchStorageRef, TorchTensorRef } from './torch-storage.js';

// The allow-list: every global a torch.save checkpoint of tensors uses, mapped to code of ours
// that builds the corresponding value. It mirrors what torch.load(weights_only=True) accepts.
// Anything else (os.system, builtins.eval, a model class...) is refused by the unpickler.

function bad(what: string, found: PyValue): never {
  throw new FormatError(`${what}: found ${describePy(found)}`);
}

/** The torch global's entry in `table` (own keys only: a name is never looked up on Object's prototype). */
function torchEntry<T>(table: Readonly<Record<string, T>>, g: PyValue): T | undefined {
  return g instanceof PyGlobal && g.module === 'torch' && Object.hasOwn(table, g.name) ? table[g.name] : undefined;
}

function intTuple(v: PyValue, what: string): number[] {
  if (!(v instanceof PyTuple)) bad(`${what}: expected a tuple of ints`, v);
  return v.items.map((x) => {
    const n = asSafeInt(x);
    if (n === undefined) bad(`${what}: expected ints`, x);
    return n;
  });
}

function rebuildTensor(args: readonly PyValue[], dtypeArg?: PyValue): TorchTensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof TorchStorageRef)) bad('_rebuild_tensor: expected a storage', storage ?? null);
  const storageOffset = asSafeInt(offset ?? null);
  if (storageOffset === undefined) bad('_rebuild_tensor: expected an int storage offset', offset ?? null);
  let dtype: StoredDType = storage.dtype;
  if (dtypeArg !== undefined) {
    const d = torchEntry(TORCH_DTYPES, dtypeArg);
    if (d === undefined) bad('_rebuild_tensor_v3: expected a torch dtype', dtypeArg);
    // A typed storage must agree with the tensor; an untyped (byte) storage is reinterpreted.
    if (d !== dtype && dtype !== 'uint8') throw new FormatError(`_rebuild_tensor_v3: dtype ${d} over a ${dtype} storage`);
    dtype = d;
  }
  return new TorchTensorRef(storage, { storageOffset, shape: intTuple(size ?? null, 'tensor size'), stride: intTuple(stride ?? null, 'tensor stride') }, dtype);
}

function tensorArg(v: PyValue | undefined, what: string): TorchTensorRef {
  if (!(v instanceof TorchTensorRef)) bad(`${what}: expected a tensor`, v ?? null);
  return v;
}

const REBUILDERS: Record<string, GlobalHandler> = {
  'torch._utils._rebuild_tensor': { call: (a) => rebuildTensor(a) },
  'torch._utils._rebuild_tensor_v2': { call: (a) => rebuildTensor(a) },
  'torch._utils._rebuild_tensor_v3': { call: (a) => rebuildTensor(a, a[6] ?? null) },
  'torch._utils._rebuild_parameter': { call: (a) => tensorArg(a[0], '_rebuild_parameter') },
  'torch._utils._rebuild_parameter_with_state': { call: (a) => tensorArg(a[0], '_rebuild_parameter_with_state') },
};

function handlers(): [string, GlobalHandler][] {
  const out: [string, GlobalHandler][] = [];
  out.push([
    'collections.OrderedDict',
    {
      call: (args) => {
        const d = new PyDict(true);
        const items = args[0];
        if (args.length > 1 || (items !== undefined && !Array.isArray(items))) bad('OrderedDict: expected no argument or a list of pairs', items ?? null);
        for (const pair of items ?? []) {
          const [key, value, ...extra] = pair instanceof PyTuple ? pair.items : [];
          if (key === undefined || value === undefined || extra.length > 0) bad('OrderedDict: expected (key, value) pairs', pair);
          d.entries.set(key, value);
        }
        return d;
      },
    },
  ]);
  for (const [name, h] of Object.entries(REBUILDERS)) out.push([name, h]);
  // torch >= 1.13 wraps tensors of subclasses (Parameter) as _rebuild_from_type_v2(func, type, args, state):
  // only our own rebuild functions may be the func, and only Tensor / Parameter the type.
  out.push([
    'torch._tensor._rebuild_from_type_v2',
    {
      call: ([func, type, args]) => {
        const rebuild = func instanceof PyGlobal && Object.hasOwn(REBUILDERS, func.qualifiedName) ? REBUILDERS[func.qualifiedName]?.call : undefined;
        if (!rebuild) bad('_rebuild_from_type_v2: expected a torch rebuild function', func ?? null);
        if (!(type instanceof PyGlobal) || !['torch.Tensor', 'torch.nn.parameter.Parameter'].includes(type.qualifiedName)) bad('_rebuild_from_type_v2: expected torch.Tensor or Parameter', type ?? null);
        if (!(args instanceof PyTuple)) bad('_rebuild_from_type_v2: expected an argument tuple', args ?? null);
        return rebuild(args.items);
      },
    },
  ]);
  out.push(['torch.Tensor', {}], ['torch.nn.parameter.Parameter', {}]);
  for (const name of Object.keys(TORCH_STORAGE_TYPES)) out.push([`torch.${name}`, {}]);
  for (const name of Object.keys(TORCH_DTYPES)) out.push([`torch.${name}`, {}]);
  out.push([
    'torch.Size',
    {
      call: ([dims = null]) => {
        intTuple(dims, 'torch.Size');
        return dims;
      },
    },
  ]);
  out.push(['torch.device', { call: () => new PyOpaque('torch.device') }]);
  // Protocol 2 pickles Python 3 bytes as _codecs.encode(text, 'latin1').
  out.push([
    '_codecs.encode',
    {
      call: ([s, enc]) => {
        if (typeof s !== 'string' || (enc !== 'latin1' && enc !== 'latin-1')) bad("_codecs.encode: expected (str, 'latin1')", s ?? null);
        return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
      },
    },
  ]);
  for (const [name, frozen] of [['builtins.set', false], ['builtins.frozenset', true]] as const) {
    out.push([
      name,
      {
        call: ([items]) => {
          if (items !== undefined && !Array.isArray(items)) bad(`${name}: expected a list`, items);
          return new PySet([...(items ?? [])], frozen);
        },
      },
    ]);
  }
  return out;
}

/** The globals a torch checkpoint may name. */
export const TORCH_ALLOWED_GLOBALS: GlobalAllowList = new Map(handlers());

/** Resolves a storage's class global (`torch.FloatStorage`) to its element type. */
export function storageDType(type: PyValue): StoredDType {
  const dtype = torchEntry(TORCH_STORAGE_TYPES, type);
  if (dtype === undefined) bad('persistent id: expected a torch storage type', type);
  return dtype;
}
