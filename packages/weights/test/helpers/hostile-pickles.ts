import { P, pickle } from './craft.js';
import type { Rng } from './mutations.js';

// Generators of pickles that name Python's dangerous callables every way the format allows
// (GLOBAL, STACK_GLOBAL from strings given directly or through the memo, INST, then REDUCE /
// NEWOBJ / NEWOBJ_EX / OBJ / BUILD), wrapped in random but valid surroundings. Every one must be
// refused with UNSAFE_PICKLE before anything is called.

/** module -> callables an attacker reaches for (code execution, file/network access, imports, attribute walks). */
export const DANGEROUS: Readonly<Record<string, readonly string[]>> = {
  os: ['system', 'popen', 'execv', 'execve', 'execvp', 'spawnl', 'spawnv', 'fork', 'remove', 'unlink', 'rmdir', 'rename', 'open', 'write', 'putenv', 'chmod', 'kill', 'path.join', 'environ'],
  posix: ['system', 'popen', 'execv', 'fork', 'unlink', 'open', 'write', 'kill'],
  nt: ['system', 'spawnv', 'startfile', 'unlink', 'open'],
  subprocess: ['Popen', 'call', 'run', 'check_call', 'check_output', 'getoutput', 'getstatusoutput'],
  builtins: ['eval', 'exec', 'compile', 'open', '__import__', 'getattr', 'setattr', 'delattr', 'globals', 'locals', 'vars', 'input', 'breakpoint', 'type', 'object', 'print', 'memoryview', 'bytearray', 'dict', 'list', 'tuple', 'apply', 'execfile', 'reload'],
  __builtin__: ['eval', 'exec', 'open', '__import__', 'getattr', 'execfile', 'file'],
  importlib: ['import_module', '__import__', 'reload', 'util.spec_from_file_location', 'machinery.SourceFileLoader'],
  runpy: ['run_path', 'run_module', '_run_code', '_run_module_code'],
  code: ['interact', 'InteractiveInterpreter', 'InteractiveConsole', 'compile_command'],
  ctypes: ['CDLL', 'cdll', 'PyDLL', 'pythonapi', 'cast', 'memmove', 'string_at', 'CFUNCTYPE'],
  shutil: ['rmtree', 'move', 'copy', 'copyfile', 'copytree', 'chown', 'make_archive', 'unpack_archive'],
  socket: ['socket', 'create_connection', 'create_server', 'fromfd', 'socketpair'],
  sys: ['exit', 'modules', 'settrace', 'setprofile', 'addaudithook', '_getframe', 'stdout.write'],
  pickle: ['loads', 'load', 'Unpickler', '_loads', 'dumps'],
  _pickle: ['loads', 'load', 'Unpickler'],
  functools: ['partial', 'reduce', 'partialmethod', 'wraps'],
  operator: ['attrgetter', 'methodcaller', 'itemgetter', 'getitem', 'setitem', 'call'],
  _operator: ['attrgetter', 'methodcaller', 'itemgetter'],
  io: ['open', 'FileIO', 'open_code'],
  _io: ['open', 'FileIO'],
  pty: ['spawn', 'fork'],
  platform: ['popen', 'os.system'],
  webbrowser: ['open', 'open_new'],
  timeit: ['timeit', 'Timer'],
  pdb: ['run', 'runcall', 'set_trace'],
  bdb: ['Bdb'],
  marshal: ['loads', 'load'],
  types: ['FunctionType', 'CodeType', 'ModuleType'],
  copyreg: ['_reconstructor', '__newobj__', '__newobj_ex__'],
  commands: ['getoutput', 'getstatusoutput'],
  multiprocessing: ['Process', 'Pool'],
  'multiprocessing.util': ['spawnv_passfds'],
  asyncio: ['create_subprocess_shell', 'create_subprocess_exec'],
  'asyncio.subprocess': ['create_subprocess_shell'],
  tempfile: ['mktemp', 'NamedTemporaryFile'],
  glob: ['glob'],
  zipimport: ['zipimporter'],
  numpy: ['load', 'frombuffer', 'core.multiarray._reconstruct', 'ctypeslib.load_library', 'testing._private.utils.runstring'],
  'numpy.core.multiarray': ['_reconstruct', 'scalar'],
  // Near misses: allowed modules with names that are not allowed, and torch's own dangerous ones.
  torch: ['load', 'save', 'jit.load', 'hub.load', '_C._jit_pass_lower_all_tuples', 'storage._load_from_bytes', 'Tensor.__reduce_ex__', '_utils.os', 'classes.load_library', 'ops.load_library', '_ops.ops', 'nn.Module', 'serialization.load'],
  'torch._utils': ['_rebuild_qtensor', '_rebuild_sparse_tensor', '_rebuild_wrapper_subclass', '_rebuild_device_tensor_from_numpy', '_rebuild_xla_tensor', '_rebuild_meta_tensor_no_storage', '_rebuild_nested_tensor', 'os', 'sys'],
  'torch.storage': ['_load_from_bytes'],
  'torch.serialization': ['load', '_load'],
  collections: ['namedtuple', 'defaultdict', 'OrderedDict.fromkeys', 'UserDict', '__builtins__', 'os'],
  _codecs: ['decode', 'escape_decode', 'lookup'],
  __main__: ['Net', 'SwinTransformer', 'Exploit'],
  '': ['eval', 'system'],
};

/** Every (module, name) of DANGEROUS, plus case and whitespace variants of a few. */
export function dangerousGlobals(): [string, string][] {
  const out: [string, string][] = [];
  for (const [module, names] of Object.entries(DANGEROUS)) for (const name of names) out.push([module, name]);
  out.push(['OS', 'system'], ['os ', 'system'], ['os', 'system '], [' os', 'system'], ['os\t', 'system'], ['os', 'sys\u0074em'], ['builtins', 'EVAL'], ['torch._utils', '_rebuild_tensor_v2 '], ['torch', 'FloatStorage.__init__'], ['collections', 'OrderedDict.__class__']);
  return out;
}

const enc = new TextEncoder();

/** A harmless value for a prefix or argument: ints, strings, empty containers, None, booleans. */
function harmless(rng: Rng): number[][] {
  switch (rng.int(7)) {
    case 0: return [P.int1(rng.int(256))];
    case 1: return [P.shortUnicode(`s${rng.int(1000)}`)];
    case 2: return [P.emptyTuple()];
    case 3: return [P.emptyDict()];
    case 4: return [P.emptyList()];
    case 5: return [P.raw(0x4e)];
    default: return [P.raw(rng.float() < 0.5 ? 0x88 : 0x89)];
  }
}

function argTuple(rng: Rng): number[][] {
  const n = rng.int(3);
  const items: number[][] = [];
  for (let i = 0; i < n; i++) items.push(...harmless(rng));
  if (rng.float() < 0.5) items.splice(0, 0, P.unicode(rng.pick(['id', 'rm -rf /', 'import os', '__import__("os").system("id")', '1+1'])));
  return [P.mark(), ...items, P.tuple()];
}

/** How a hostile global is named. */
const NAMINGS = ['GLOBAL', 'STACK_GLOBAL', 'STACK_GLOBAL_MEMO', 'STACK_GLOBAL_BINUNICODE', 'INST'] as const;
/** What is then done with it. */
const USES = ['REDUCE', 'NEWOBJ', 'NEWOBJ_EX', 'OBJ', 'BUILD', 'none', 'in-dict'] as const;

/**
 * A pickle naming `module.name` in a random way, using it in a random way, after a random valid
 * prefix (values on the stack, a MARK, an open dict). Returns the bytes and a description.
 */
export function hostilePickle(rng: Rng, module: string, name: string): { bytes: Uint8Array; what: string } {
  const proto = rng.pick([2, 2, 3, 4, 5]);
  const naming = rng.pick(NAMINGS);
  const use = naming === 'INST' ? 'INST' : rng.pick(USES);
  const ops: number[][] = [P.proto(proto)];
  const prefixCount = rng.int(3);
  for (let i = 0; i < prefixCount; i++) ops.push(...harmless(rng));
  if (use === 'in-dict') ops.push(P.emptyDict(), P.shortUnicode('k'));
  const bytesOf = (s: string) => enc.encode(s);
  const namingAt = ops.length;
  switch (naming) {
    case 'GLOBAL':
      ops.push(P.global(module, name));
      break;
    case 'STACK_GLOBAL':
      ops.push(P.shortUnicode(module), P.shortUnicode(name), P.stackGlobal());
      break;
    case 'STACK_GLOBAL_MEMO':
      // Strings stored in the memo first, then fetched: the names reach STACK_GLOBAL indirectly.
      ops.push(P.shortUnicode(module), P.raw(0x71, 7), P.raw(0x30), P.shortUnicode(name), P.raw(0x71, 8), P.raw(0x30), P.raw(0x68, 7), P.raw(0x68, 8), P.stackGlobal());
      break;
    case 'STACK_GLOBAL_BINUNICODE':
      ops.push(P.unicode(module), P.memoize(), P.unicode(name), P.memoize(), P.stackGlobal());
      break;
    case 'INST':
      ops.push(...argTuple(rng).slice(0, -1), P.raw(0x69, ...bytesOf(`${module}\n${name}\n`)));
      break;
  }
  switch (use) {
    case 'REDUCE':
      ops.push(...argTuple(rng), P.reduce());
      break;
    case 'NEWOBJ':
      ops.push(...argTuple(rng), P.newobj());
      break;
    case 'NEWOBJ_EX':
      ops.push(...argTuple(rng), P.emptyDict(), P.raw(0x92));
      break;
    case 'OBJ': {
      // OBJ takes the class right after a MARK.
      ops.splice(namingAt, 0, P.mark());
      ops.push(P.raw(0x6f));
      break;
    }
    case 'BUILD':
      ops.push(P.emptyDict(), P.raw(0x62));
      break;
    case 'in-dict':
      ops.push(P.setitem());
      break;
    default:
      break;
  }
  ops.push(P.stop());
  return { bytes: pickle(...ops), what: `${naming}/${use} ${module}.${name} (protocol ${proto})` };
}
