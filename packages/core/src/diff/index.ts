/** The diff stage's public surface (re-exported by the package index). */
export { compilePair, diffIndexes, isEmptyDiff, pairOptions } from './diff.js';
export { diffClusters, diffPair } from './derive.js';
export type { PairDiff } from './derive.js';
export { diffUpdate } from './update-diff.js';
export { podDiff } from './pods.js';
export type { ChangedEntry, DiffEntry, DiffOptions, IndexPair, ReachabilityDiff } from './diff.js';
export { clusterEdits, editsFor } from './edits.js';
export type { Edit } from './edits.js';
export { changedConnections, diffRows, isSensitive, openedConnections, opensReachability, opensSensitive, sensitiveReason } from './sensitive.js';
export type { DiffRow, SensitiveReason } from './sensitive.js';
