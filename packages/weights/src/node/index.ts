// @swin/weights/node: file access for Node (the CLI, servers). Reads checkpoints by offset from a
// file handle and writes converted files atomically; parsing itself is the browser-safe core.

export { openFileByteSource, type FileByteSource } from './file-byte-source.js';
export { nodeCrc32, nodeInflateRaw } from './node-codecs.js';
export { writeFileAtomically, writeBytesAtomically } from './atomic-file.js';
export { readWeightsFile, readCheckpointFile, inspectCheckpointFile, scanNonFiniteFile, type CheckpointInfo } from './read-weights-file.js';
export { convertCheckpointFile, type ConvertProgress, type ConvertResult } from './convert-checkpoint-file.js';
export { createProgressPrinter } from './progress-printer.js';
export { locateCheckpoint, readHuggingFaceConfigFile, readHuggingFacePreprocessorFile, type CheckpointLocation } from './huggingface-folder.js';
