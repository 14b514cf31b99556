import { FormatError, SwinError } from '@swin/core';
import type { ByteCursor } from '../bytes/byte-cursor.js';
import { OP, OP_NAMES } from './opcodes.js';
import { describePy, PyDict, PyGlobal, PySet, PyTuple, type PyValue } from './python-values.js';

/** What an allowed global does when a pickle calls it (REDUCE, NEWOBJ, INST, OBJ): our code, never the file's. */
export interface GlobalHandler {
  /** Builds the call's result from its arguments; absent when the global may only be passed as a value. */
  readonly call?: (args: readonly PyValue[]) => PyValue;
}

/** The globals a pickle may name, by qualified name ("torch._utils._rebuild_tensor_v2"). */
export type GlobalAllowList = ReadonlyMap<string, GlobalHandler>;

export interface UnpickleOptions {
  readonly globals: GlobalAllowList;
  /** Resolves a persistent id (torch's storage references); `offset` is where the pickle names it. */
  readonly persistentLoad?: (pid: PyValue, offset: number) => PyValue;
  /** What the pickle is, for error messages ("data.pkl"). */
  readonly label: string;
  /**
   * Most values the machine may create: every push onto the stack and every new memo entry counts
   * one. Each is a JS object or slot, so this bounds the memory a pickle of one repeated 1-byte
   * opcode (`)`, `}`, MEMOIZE, DUP) can take, whatever its length. Default DEFAULT_MAX_PICKLE_OBJECTS.
   */
  readonly maxObjects?: number;
}

/**
 * A state dict pickles to ~35 values per tensor (a Swin-L with its 22k head: ~20,000; a training
 * checkpoint with optimizer state a few times that). 250,000 keeps a wide margin while a hostile
 * pickle's values (an empty dict is ~200 bytes of JS) stay well inside the 256 MiB reading slack.
 */
export const DEFAULT_MAX_PICKLE_OBJECTS = 250_000;

/** Longest GLOBAL module or name line (Python identifiers in dotted paths). */
const MAX_NAME = 512;
/** Longest text number line (INT, LONG, FLOAT, GET, PUT). */
const MAX_NUMBER_TEXT = 64;
/** Largest LONG1/LONG4 integer, in bytes: torch checkpoints hold small ints only. */
const MAX_LONG_BYTES = 256;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/**
 * Runs a pickle program without executing anything it names. The stack machine handles every
 * opcode of protocols 0-5 that builds data; GLOBAL resolves names only through the allow-list (any
 * other name is refused, and the error names it); REDUCE and friends call our handler for that
 * name. Lengths are checked against the bytes that remain before anything is decoded, so memory
 * stays proportional to the pickle's size. Returns the value at STOP; the cursor is left after it.
 */
export function unpickle(cursor: ByteCursor, options: UnpickleOptions): PyValue {
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  const { label } = options;
  const maxObjects = options.maxObjects ?? DEFAULT_MAX_PICKLE_OBJECTS;
  let objects = 0;
  let opOffset = cursor.offset;

  // Typed on the name, so a bare `fail(...)` statement ends the path for the type checker as a throw does.
  const fail: (msg: string, code?: 'UNSAFE_PICKLE' | 'LIMIT_EXCEEDED') => never = (msg, code) => {
    throw new FormatError(`${label}: ${msg}`, opOffset, code);
  };
  const count = () => {
    if (++objects > maxObjects) {
      fail(`more than ${maxObjects} values (stack pushes and memo entries): a checkpoint's pickle needs far fewer; raise ReadLimits.maxPickleObjects if this file is genuine`, 'LIMIT_EXCEEDED');
    }
  };
  const push = (v: PyValue) => {
    count();
    stack.push(v);
  };
  /** The top of the stack above the last MARK: a pickle that pops past it is malformed. */
  const top = (): PyValue => {
    const v = stack.length === marks.at(-1) ? undefined : stack.at(-1);
    if (v === undefined) return fail('stack underflow');
    return v;
  };
  const pop = (): PyValue => {
    const v = top();
    stack.pop();
    return v;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) fail('no MARK on the stack');
    return stack.splice(m);
  };
  const text = (bytes: Uint8Array, what: string): string => {
    try {
      return utf8.decode(bytes);
    } catch {
      return fail(`${what} is not valid UTF-8`);
    }
  };
  const resolveGlobal = (module: string, name: string): PyGlobal => {
    const qualified = `${module}.${name}`;
    if (!options.globals.has(qualified)) {
      fail(`refused to load global '${qualified}': a checkpoint may only name the globals torch uses for tensors (${[...options.globals.keys()].slice(0, 6).join(', ')}, ...); nothing the file names is ever called`, 'UNSAFE_PICKLE');
    }
    return new PyGlobal(module, name);
  };
  // Errors from handlers get this opcode's offset unless they already carry one.
  const rethrow = (e: unknown, context: string): never => {
    if (e instanceof FormatError && e.offset === undefined) throw new FormatError(`${label}: ${e.message}`, opOffset, e.code as 'INVALID_FORMAT');
    if (e instanceof SwinError) throw e;
    return fail(`${context}: ${(e as Error).message}`);
  };
  const call = (callable: PyValue, args: readonly PyValue[]): PyValue => {
    if (!(callable instanceof PyGlobal)) return fail(`expected a callable global, found ${describePy(callable)}`);
    const handler = options.globals.get(callable.qualifiedName);
    if (!handler?.call) return fail(`global '${callable.qualifiedName}' cannot be called`);
    try {
      return handler.call(args);
    } catch (e) {
      return rethrow(e, callable.qualifiedName);
    }
  };
  const intFromBytes = (b: Uint8Array): number | bigint => {
    const last = b.at(-1);
    if (last === undefined) return 0;
    // Little-endian two's complement: the last byte is the most significant and holds the sign.
    let v = b.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
    if (last & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const memoGet = (i: number): PyValue => {
    const v = memo.get(i);
    if (v === undefined) return fail(`memo entry ${i} was never stored`);
    return v;
  };
  const memoPut = (i: number) => {
    const v = top();
    if (!memo.has(i)) count();
    memo.set(i, v);
  };
  const numberLine = (what: string) => latin1.decode(cursor.line(MAX_NUMBER_TEXT, what)).trim();
  const parseIndex = (s: string) => {
    if (!/^\d+$/.test(s)) fail(`expected a memo index, found '${s}'`);
    return Number(s);
  };

  for (;;) {
    opOffset = cursor.offset;
    const op = cursor.u8('an opcode');
    switch (op) {
      case OP.PROTO: {
        const v = cursor.u8();
        if (v > 5) fail(`pickle protocol ${v}: expected at most 5`);
        break;
      }
      case OP.FRAME:
        cursor.u64('a frame length'); // frames only group bytes that follow inline
        break;
      case OP.STOP: {
        if (marks.length > 0) fail('STOP with an unclosed MARK');
        return pop();
      }
      case OP.MARK:
        count();
        marks.push(stack.length);
        break;
      case OP.POP:
        pop();
        break;
      case OP.POP_MARK:
        popMark();
        break;
      case OP.DUP:
        push(top());
        break;
      case OP.NONE:
        push(null);
        break;
      case OP.NEWTRUE:
        push(true);
        break;
      case OP.NEWFALSE:
        push(false);
        break;
      case OP.BININT:
        push(cursor.i32());
        break;
      case OP.BININT1:
        push(cursor.u8());
        break;
      case OP.BININT2:
        push(cursor.u16());
        break;
      case OP.INT: {
        const s = numberLine('an INT');
        if (s === '01' || s === '00') push(s === '01');
        else if (/^[-+]?\d+$/.test(s)) push(intFromText(s));
        else fail(`INT: expected digits, found '${s}'`);
        break;
      }
      case OP.LONG: {
        const s = numberLine('a LONG').replace(/L$/, '');
        if (!/^[-+]?\d+$/.test(s)) fail(`LONG: expected digits, found '${s}'`);
        push(intFromText(s));
        break;
      }
      case OP.LONG1:
      case OP.LONG4: {
        const n = op === OP.LONG1 ? cursor.u8() : cursor.i32();
        if (n < 0) fail(`LONG4 with negative length ${n}`);
        if (n > MAX_LONG_BYTES) fail(`a ${n}-byte integer exceeds the limit of ${MAX_LONG_BYTES} bytes`, 'LIMIT_EXCEEDED');
        push(intFromBytes(cursor.bytes(n, 'a long integer')));
        break;
      }
      case OP.FLOAT: {
        const s = numberLine('a FLOAT');
        const v = Number(s);
        if (s === '' || Number.isNaN(v) && !/^[-+]?nan$/i.test(s)) fail(`FLOAT: expected a number, found '${s}'`);
        push(v);
        break;
      }
      case OP.BINFLOAT:
        push(cursor.f64be());
        break;
      case OP.BINUNICODE:
      case OP.SHORT_BINUNICODE:
      case OP.BINUNICODE8: {
        const n = op === OP.SHORT_BINUNICODE ? cursor.u8() : op === OP.BINUNICODE ? cursor.u32() : cursor.u64();
        push(text(cursor.bytes(n, 'a string'), 'a string'));
        break;
      }
      case OP.BINSTRING:
      case OP.SHORT_BINSTRING: {
        // Python 2 str: bytes; torch (and Python 3's default unpickling) decode them as text.
        const n = op === OP.SHORT_BINSTRING ? cursor.u8() : cursor.i32();
        if (n < 0) fail(`BINSTRING with negative length ${n}`);
        push(latin1.decode(cursor.bytes(n, 'a string')));
        break;
      }
      case OP.BINBYTES:
      case OP.SHORT_BINBYTES:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: {
        const n = op === OP.SHORT_BINBYTES ? cursor.u8() : op === OP.BINBYTES ? cursor.u32() : cursor.u64();
        push(new Uint8Array(cursor.bytes(n, 'a bytes object'))); // a copy (a Buffer's slice() would be a view)
        break;
      }
      case OP.EMPTY_TUPLE:
        push(new PyTuple([]));
        break;
      case OP.TUPLE1:
        push(new PyTuple([pop()]));
        break;
      case OP.TUPLE2: {
        const b = pop();
        push(new PyTuple([pop(), b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        push(new PyTuple([pop(), b, c]));
        break;
      }
      case OP.TUPLE:
        push(new PyTuple(popMark()));
        break;
      case OP.EMPTY_LIST:
        push([]);
        break;
      case OP.LIST:
        push(popMark());
        break;
      case OP.APPEND: {
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail(`APPEND to ${describePy(list)}: expected a list`);
        list.push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) fail(`APPENDS to ${describePy(list)}: expected a list`);
        for (const v of items) list.push(v);
        break;
      }
      case OP.EMPTY_DICT:
        push(new PyDict(false));
        break;
      case OP.DICT: {
        const items = popMark();
        if (items.length % 2) fail('DICT with an odd number of items');
        const d = new PyDict(false);
        // An even number of items (checked above): i + 1 < items.length.
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i]!, items[i + 1]!, fail);
        push(d);
        break;
      }
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        const d = top();
        if (!(d instanceof PyDict)) fail(`SETITEM on ${describePy(d)}: expected a dict`);
        setItem(d, k, v, fail);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        const d = top();
        if (!(d instanceof PyDict)) fail(`SETITEMS on ${describePy(d)}: expected a dict`);
        if (items.length % 2) fail('SETITEMS with an odd number of items');
        // An even number of items (checked above): i + 1 < items.length.
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i]!, items[i + 1]!, fail);
        break;
      }
      case OP.EMPTY_SET:
        push(new PySet([], false));
        break;
      case OP.ADDITEMS: {
        const items = popMark();
        const s = top();
        if (!(s instanceof PySet) || s.frozen) fail(`ADDITEMS on ${describePy(s)}: expected a set`);
        for (const v of items) s.items.push(v); // no spread: a long MARK run would overflow the call stack
        break;
      }
      case OP.FROZENSET:
        push(new PySet(popMark(), true));
        break;
      case OP.GLOBAL: {
        const module = text(cursor.line(MAX_NAME, 'a GLOBAL module'), 'a GLOBAL module');
        const name = text(cursor.line(MAX_NAME, 'a GLOBAL name'), 'a GLOBAL name');
        push(resolveGlobal(module, name));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail(`STACK_GLOBAL: expected two strings, found ${describePy(module)} and ${describePy(name)}`);
        push(resolveGlobal(module, name));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        if (!(args instanceof PyTuple)) fail(`REDUCE: expected an argument tuple, found ${describePy(args)}`);
        push(call(callable, args.items));
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        if (!(args instanceof PyTuple)) fail(`NEWOBJ: expected an argument tuple, found ${describePy(args)}`);
        push(call(cls, args.items));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = pop();
        const cls = pop();
        if (!(args instanceof PyTuple) || !(kwargs instanceof PyDict) || kwargs.entries.size > 0) fail('NEWOBJ_EX: expected an argument tuple and no keyword arguments');
        push(call(cls, args.items));
        break;
      }
      case OP.INST: {
        const module = text(cursor.line(MAX_NAME, 'an INST module'), 'an INST module');
        const name = text(cursor.line(MAX_NAME, 'an INST name'), 'an INST name');
        const cls = resolveGlobal(module, name);
        push(call(cls, popMark()));
        break;
      }
      case OP.OBJ: {
        const [cls, ...args] = popMark();
        if (cls === undefined) fail('OBJ without a class');
        push(call(cls, args));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const obj = top();
        // The only BUILD torch checkpoints use: an OrderedDict's attributes (`_metadata`).
        if (!(obj instanceof PyDict)) fail(`BUILD on ${describePy(obj)}: only dict attributes are supported`);
        obj.attributes = state;
        break;
      }
      case OP.BINPERSID:
      case OP.PERSID: {
        const pid = op === OP.PERSID ? latin1.decode(cursor.line(MAX_NAME, 'a persistent id')) : pop();
        if (!options.persistentLoad) fail('a persistent id where none is expected');
        try {
          push(options.persistentLoad!(pid, opOffset));
        } catch (e) {
          rethrow(e, 'persistent id');
        }
        break;
      }
      case OP.BINPUT:
        memoPut(cursor.u8());
        break;
      case OP.LONG_BINPUT:
        memoPut(cursor.u32());
        break;
      case OP.PUT:
        memoPut(parseIndex(numberLine('a PUT index')));
        break;
      case OP.MEMOIZE:
        memoPut(memo.size);
        break;
      case OP.BINGET:
        push(memoGet(cursor.u8()));
        break;
      case OP.LONG_BINGET:
        push(memoGet(cursor.u32()));
        break;
      case OP.GET:
        push(memoGet(parseIndex(numberLine('a GET index'))));
        break;
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        fail(`opcode ${OP_NAMES.get(op)} names a global through the copyreg extension registry, which is refused`, 'UNSAFE_PICKLE');
        break;
      default:
        fail(`unsupported pickle opcode ${OP_NAMES.get(op) ?? `0x${op.toString(16).padStart(2, '0')}`}`);
    }
  }
}

function intFromText(s: string): number | bigint {
  const v = BigInt(s);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function setItem(d: PyDict, key: PyValue, value: PyValue, fail: (msg: string) => never): void {
  // Python refuses unhashable keys; mutable containers as keys would also alias here.
  if (Array.isArray(key) || key instanceof PyDict || (key instanceof PySet && !key.frozen)) fail(`unhashable dict key of type ${describePy(key)}`);
  d.entries.set(key, value);
}
