/**
 * Builds the browser side with esbuild: each page is bundled (core, graph renderer, editor) and
 * inlined with its styles into one HTML file that needs no network and opens from file://.
 *
 *   dist/report.html             the report page; the CLI puts a report's data at its placeholder
 *   dist/playground/index.html   the playground: a static folder any static host can serve
 *
 * Usage: node packages/web/build.mjs [--dev] (--dev: not minified, with inline source maps)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dev = process.argv.includes('--dev');

async function bundle(entry) {
  const out = await build({
    entryPoints: [here(entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: !dev,
    sourcemap: dev ? 'inline' : false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    loader: { '.yaml': 'text' },
  });
  return out.outputFiles[0].text;
}

/** Text that can sit inside a <script> element: no `</script` can end it early. */
function inlineScript(js) {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function page(templatePath, js, css) {
  const html = readFileSync(here(templatePath), 'utf8');
  // functions as replacements: a `$` in the bundle must stay a `$`
  return html.replace('/*__STYLE__*/', () => css).replace('/*__SCRIPT__*/', () => inlineScript(js));
}

const css = readFileSync(here('src/browser/page.css'), 'utf8');
mkdirSync(here('dist/playground'), { recursive: true });
const [reportJs, playgroundJs] = await Promise.all([bundle('src/browser/report-main.ts'), bundle('src/browser/playground-main.ts')]);
writeFileSync(here('dist/report.html'), page('src/browser/report.html', reportJs, css));
writeFileSync(
  here('dist/playground/index.html'),
  page('src/browser/playground.html', playgroundJs, css + readFileSync(here('src/browser/playground.css'), 'utf8')),
);
