/**
 * The CLI as single files with every dependency inside (core, the report page, commander, yaml, the
 * Kubernetes client), for a machine without npm, the container image and the kubectl plugin:
 *
 *   dist/bundle/kubereach.mjs   run by `node kubereach.mjs ...` (or directly: it has a #! line)
 *   dist/bundle/index.mjs       the library entry (run, buildProgram, memoryIO, ...) of the package
 *   dist/demo/                  the demo cluster (a copy of fixtures/demo), shipped in the package so
 *                               an installed kubereach has something to read at once
 *
 * Each is self-contained (no shared chunk), so either can be copied alone. The report page, which
 * @kubereach/web reads from a file next to its module, is inlined; the version comes from this
 * package's package.json.
 *
 * Usage: node packages/cli/bundle.mjs (after `tsc -b` and the web build, which `npm run build` runs).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8'));
const REPORT_READ = "readFileSync(new URL('./report.html', import.meta.url), 'utf8')";

/** Inlines dist/report.html into @kubereach/web's module; fails the build if the read is not found. */
const inlineReportPage = {
  name: 'inline-report-page',
  setup(b) {
    b.onLoad({ filter: /[\\/]web[\\/]dist[\\/]index\.js$/ }, (args) => {
      const js = readFileSync(args.path, 'utf8');
      if (!js.includes(REPORT_READ)) throw new Error(`${args.path}: expected ${REPORT_READ} to inline the report page`);
      const html = readFileSync(new URL('./report.html', `file://${args.path}`), 'utf8');
      return { contents: js.replace(REPORT_READ, JSON.stringify(html)), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // minified: the Kubernetes client alone is most of 16 MB unminified; names are kept for messages
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [inlineReportPage],
  define: { KUBEREACH_VERSION: JSON.stringify(pkg.version) },
  // some CommonJS dependencies call require() for Node built-ins: give the ES module one
  banner: { js: "import { createRequire as __kubereachRequire } from 'node:module'; const require = __kubereachRequire(import.meta.url);" },
};

await build({
  ...common,
  entryPoints: [here('./dist/main-entry.js')],
  outfile: here('./dist/bundle/kubereach.mjs'),
  banner: { js: `#!/usr/bin/env node\n${common.banner.js}` },
});
await build({ ...common, entryPoints: [here('./dist/index.js')], outfile: here('./dist/bundle/index.mjs') });

const demo = here('../../fixtures/demo/');
mkdirSync(here('./dist/demo'), { recursive: true });
for (const f of readdirSync(demo)) copyFileSync(`${demo}${f}`, here(`./dist/demo/${f}`));
