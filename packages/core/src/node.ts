// @swin/core/node: Node-only helpers (the main entry stays free of Node APIs for browsers).
export * from './node/bench-load.js';
