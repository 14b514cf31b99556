// Node-only entry: fixture discovery on disk, report files, the reference-output cache.
export * from './repo-root.js';
export * from './discover-fixtures.js';
export * from './checkpoint-weights.js';
export * from './file-oracle-cache.js';
export * from './write-report.js';
export * from './node-defaults.js';
