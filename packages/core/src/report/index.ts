/** The report stage's public surface (re-exported by the package index). */
export { buildReport } from './build.js';
export type { ReportOptions, PairNotes } from './build.js';
export { buildDiffReport } from './diff.js';
export type { DiffReportOptions } from './diff.js';
export type * from './types.js';
