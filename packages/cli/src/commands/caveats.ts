/** Notes a verdict carries about itself (query/notes.ts in the core, shared with the playground). */
export { pairNotes as caveats, l7Notes as l7Caveats } from '@kubereach/core';
