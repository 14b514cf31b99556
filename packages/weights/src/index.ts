// @swin/weights: read Swin checkpoints of every common origin without executing anything from them,
// map their names to the canonical (official) ones, adapt them, and write safetensors. Everything
// here runs in browsers; file access lives in '@swin/weights/node'.

export { DEFAULT_READ_LIMITS, resolveLimits, type ReadLimits } from './limits.js';
export { memoryByteSource, sliceByteSource, type ByteSource } from './bytes/byte-source.js';
export { crc32, type Crc32Function } from './bytes/crc32.js';
export { STORED_DTYPE_BYTES, loadedDType, type StoredDType } from './dtypes/stored-dtype.js';
export { encodeTensor, float16ToFloat32Array, float32ToBfloat16Array, float32ToFloat16Array, outputStoredDType, parseOutputDType, type OutputDType } from './dtypes/encode-output.js';
export { concatLazy, derivedLazy, eagerTensor, materialize, reshapeLazy, type LazyTensor } from './tensors/lazy-tensor.js';
export { ScratchBuffer } from './tensors/scratch-buffer.js';
export { countNonFinite, NonFiniteTally, nonFiniteError, scanNonFinite, type NonFiniteReport } from './tensors/non-finite.js';

export { ZipArchive, type InflateRaw, type ZipEntry } from './zip/zip-archive.js';
export { DEFAULT_MAX_PICKLE_OBJECTS, unpickle, type GlobalAllowList, type GlobalHandler, type UnpickleOptions } from './pickle/safe-unpickler.js';
export { PyDict, PyGlobal, PyObject, PySet, PyTuple, type PyValue } from './pickle/python-values.js';
export { TORCH_ALLOWED_GLOBALS } from './torch/torch-globals.js';

export type { Checkpoint, CheckpointFormat, ReadOptions } from './checkpoint/checkpoint.js';
export { openCheckpoint, sniffFormat } from './checkpoint/open-checkpoint.js';
export { readCheckpoint, type CheckpointContents } from './checkpoint/read-checkpoint.js';

export { readSafetensors } from './safetensors/safetensors-reader.js';
export { planSafetensors, type SafetensorsLayout, type SafetensorsSlot } from './safetensors/safetensors-layout.js';
export { writeSafetensors } from './safetensors/safetensors-writer.js';

export type { NamingScheme, SchemeMapping } from './schemes/naming-scheme.js';
export { detectScheme } from './schemes/detect-scheme.js';
export { mapToCanonical } from './schemes/map-to-canonical.js';

export { verifyDerivedBuffers, type DerivedBufferCheck } from './derived/verify-derived-buffers.js';
export { expectedAttnMask, expectedRelativeCoordsTable, expectedRelativePositionIndex } from './derived/expected-derived-buffers.js';

export { bicubicResize } from './adapt/bicubic-resize.js';
export { resizeAbsolutePositionEmbedding, resizeRelativePositionBias } from './adapt/resize-position-tables.js';
export { adaptWeights } from './adapt/adapt-weights.js';
export { targetConfig, type AdaptOptions } from './adapt/target-config.js';

export { planCanonicalWeights, checkpointFindings, type CanonicalPlan, type CheckpointFindings, type PlanOptions } from './load/plan-canonical-weights.js';
export { outputMetadata, CONVERTER } from './load/output-metadata.js';
export { loadCheckpointWeights, loadTensorWeights, loadWeights, type LoadedWeights, type LoadOptions, type PlannedLoadOptions } from './load/load-weights.js';
export { convertWeights, type ConvertOptions } from './load/convert-weights.js';
export { reconcileDeclaredConfig, type DeclaredConfig } from './load/declared-config.js';
export { HUGGINGFACE_WEIGHT_FILES, MAX_HUGGINGFACE_CONFIG_BYTES, MAX_HUGGINGFACE_LABELS, parseHuggingFaceConfig, parseId2Label, type HuggingFaceConfig } from './huggingface/huggingface-config.js';
export { HUGGINGFACE_PREPROCESSOR_FILE, MAX_HUGGINGFACE_PREPROCESSOR_BYTES, parseHuggingFacePreprocessor } from './huggingface/huggingface-preprocessor.js';
export { OUTPUT_SCHEMES, outputTensors, type OutputScheme } from './load/output-schemes.js';
export { toTorchvision } from './schemes/to-torchvision.js';
