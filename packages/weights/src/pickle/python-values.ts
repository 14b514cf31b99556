// The values a pickle can build here. Python containers become small classes (so a tuple is never
// confused with a list); anything that is not a plain container exists only because an allowed
// global's handler made it (subclasses of PyObject).

/** Base of objects made by allowed globals (torch storages and tensors, opaque records). */
export abstract class PyObject {
  abstract describe(): string;
}

/** An immutable Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A Python dict or OrderedDict; `attributes` holds BUILD state (torch's `_metadata`). */
export class PyDict {
  readonly entries = new Map<PyValue, PyValue>();
  attributes: PyValue = null;
  constructor(readonly ordered: boolean) {}
}

/** A Python set or frozenset. */
export class PySet {
  constructor(
    readonly items: PyValue[],
    readonly frozen: boolean,
  ) {}
}

/** A reference to an allowed global (a class or function we know), as GLOBAL pushes it. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** The result of an allowed call that carries no meaning for weights (kept only to be ignored). */
export class PyOpaque extends PyObject {
  constructor(readonly what: string) {
    super();
  }
  describe(): string {
    return this.what;
  }
}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyTuple | PyValue[] | PyDict | PySet | PyGlobal | PyObject;

/** A short description of a value's type for error messages (never its contents). */
export function describePy(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof PyTuple) return `tuple of ${v.items.length}`;
  if (Array.isArray(v)) return `list of ${v.length}`;
  if (v instanceof PyDict) return v.ordered ? 'OrderedDict' : 'dict';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyGlobal) return v.qualifiedName;
  return v.describe();
}

/** A Python int as a JS safe integer, or undefined when it is not one. */
export function asSafeInt(v: PyValue): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}
