/**
 * The packages as a user gets them: `npm pack` @kubereach/core and @kubereach/cli, then, in a fresh
 * temporary prefix with an empty npm cache, --offline and the registry pointed at a closed port (so
 * nothing can come from a network), install them from their tarballs and use them:
 *
 *   1. `npm install -g cli.tgz` alone gives a working `kubereach` and `kubectl-reach` (the CLI ships
 *      as a self-contained bundle: no dependency to fetch), whose --version is package.json's, and
 *      which answer on the demo cluster the package ships (dist/demo, with its README);
 *   2. `npm install -g core.tgz cli.tgz` (core's own dependencies, yaml and graphology, given as local
 *      tarballs packed from node_modules) installs both, and `kubereach can` answers on the demo;
 *   3. in a project, the core's README example runs against the installed core, and type-checks
 *      under moduleResolution node16, bundler and node10; the installed declarations leave the
 *      internals out, and refuse `new ReachabilityIndex()` (an index comes from compile).
 *
 * Run by .ci/run after `npm run build` (node test/packaging/install-tarballs.mjs); prints one line
 * per check and `N passed, N failed`; exits 1 on any failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'kubereach-pack-'));
const npmEnv = {
  ...process.env,
  npm_config_cache: join(tmp, 'npm-cache'),
  npm_config_registry: 'http://127.0.0.1:9/',
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
let passed = 0;
let failed = 0;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: npmEnv, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n${String(e instanceof Error ? e.message : e).replace(/^/gm, '     ')}`);
  }
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Packs `dir` into tmp/tarballs and returns the tarball's path. */
function pack(dir) {
  const out = execFileSync('npm', ['pack', join(root, dir), '--pack-destination', join(tmp, 'tarballs'), '--ignore-scripts', '--json'], {
    encoding: 'utf8',
    cwd: root,
  });
  return join(tmp, 'tarballs', JSON.parse(out)[0].filename);
}

try {
  mkdirSync(join(tmp, 'tarballs'));
  const core = pack('packages/core');
  const cli = pack('packages/cli');
  // the core's runtime dependencies, as tarballs of what npm ci installed (no registry involved)
  const deps = ['yaml', 'graphology', 'graphology-types', 'events', 'obliterator'].map((d) => pack(`node_modules/${d}`));
  const version = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
  const demo = join(root, 'fixtures/demo');

  /** `kubereach can shop/web shop/db --port 5432` on a copy of the demo: the answer (exit 0 yes, 1 no). */
  const askDemo = (bin, dir) => {
    const r = spawnSync(bin, ['can', 'shop/web', 'shop/db', '--port', '5432', '-f', dir], { encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`exit ${r.status}: ${r.stderr}`);
    if (!/^(yes|no)\b/m.test(r.stdout)) throw new Error(`unexpected answer: ${r.stdout}`);
    return r.stdout.split('\n')[0];
  };

  check('the CLI tarball lists no runtime dependency (it carries its bundle) and ships its README and the demo cluster', () => {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', cli, 'package/package.json'], { encoding: 'utf8' }));
    equal(JSON.stringify(manifest.dependencies ?? {}), '{}', 'dependencies');
    const listed = execFileSync('tar', ['-tzf', cli], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/README.md', 'package/LICENSE', 'package/dist/demo/cluster.yaml', 'package/dist/demo/policies.yaml']) {
      if (!listed.includes(f)) throw new Error(`the CLI tarball lacks ${f}`);
    }
    for (const f of readdirSync(demo))
      equal(execFileSync('tar', ['-xzOf', cli, `package/dist/demo/${f}`], { encoding: 'utf8' }), readFileSync(join(demo, f), 'utf8'), `dist/demo/${f}`);
  });

  const alone = join(tmp, 'prefix-cli');
  check('npm install -g of the CLI tarball alone, offline, gives kubereach and kubectl-reach', () => {
    sh('npm', ['install', '-g', '--prefix', alone, cli]);
    equal(sh(join(alone, 'bin/kubereach'), ['--version']).trim(), version, 'kubereach --version');
    equal(sh(join(alone, 'bin/kubectl-reach'), ['--version']).trim(), version, 'kubectl-reach --version');
    // the demo as the package's README says to try it, from where npm installed it
    const shipped = join(sh('npm', ['root', '-g', '--prefix', alone]).trim(), '@kubereach/cli/dist/demo');
    equal(askDemo(join(alone, 'bin/kubereach'), shipped), askDemo(join(alone, 'bin/kubereach'), demo), 'the answer on the shipped demo');
  });

  const both = join(tmp, 'prefix-both');
  check('npm install -g of the core and CLI tarballs, offline, answers on the demo cluster', () => {
    sh('npm', ['install', '-g', '--prefix', both, core, cli, ...deps]);
    askDemo(join(both, 'bin/kubereach'), demo);
    const completion = sh(join(both, 'bin/kubereach'), ['--help']);
    if (!completion.includes('Usage: kubereach')) throw new Error(`--help: ${completion}`);
  });

  const project = join(tmp, 'project');
  check('the core README example runs against the installed core tarball', () => {
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'embedder', version: '1.0.0', private: true, type: 'module' }));
    sh('npm', ['install', core, ...deps], { cwd: project });
    const readme = readFileSync(join(root, 'packages/core/README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)[1];
    writeFileSync(join(project, 'example.ts'), example);
    // strip types with the repository's TypeScript, run with the installed package
    const ts = execFileSync(
      process.execPath,
      [
        '-e',
        'process.stdout.write(require("typescript").transpileModule(require("fs").readFileSync(process.argv[1], "utf8"), { compilerOptions: { module: 99, target: 9 } }).outputText)',
        join(project, 'example.ts'),
      ],
      { encoding: 'utf8', cwd: root },
    );
    writeFileSync(join(project, 'example.mjs'), `${ts}\nconsole.log(JSON.stringify({ webToDb, dbToWeb, lines }));\n`);
    const out = JSON.parse(sh(process.execPath, ['example.mjs'], { cwd: project }));
    equal(out.webToDb, true, 'webToDb');
    equal(out.dbToWeb, 'All Connections', 'dbToWeb');
    equal(out.lines.join('\n'), 'shop/db[Pod] => shop/web[Pod] : All Connections\nshop/web[Pod] => shop/db[Pod] : TCP 5432', 'lines');
  });

  check('the published declarations leave the internals out (the index storage, the diagnostic catalogue)', () => {
    const dts = (f) => readFileSync(join(project, 'node_modules/@kubereach/core/dist', f), 'utf8');
    const index = dts('evaluate/index.d.ts');
    for (const name of ['claimBlockIds', 'freeBlockId', 'fromCompiled', 'row(srcBit', 'rowTable()', 'blocksFor(direction', 'readonly compiled']) {
      if (index.includes(name)) throw new Error(`evaluate/index.d.ts declares ${name}`);
    }
    // the one constructor declared is private (a stripped one would leave the implicit public `new ()`)
    equal(index.match(/constructor\(.*$/gm)?.join('\n'), 'constructor();', 'the constructors in evaluate/index.d.ts');
    if (!index.includes('private constructor();')) throw new Error('evaluate/index.d.ts: the constructor is not private');
    for (const name of ['can(', 'resolve(', 'get cluster()']) if (!index.includes(name)) throw new Error(`evaluate/index.d.ts lacks ${name}`);
    const catalogue = dts('diagnostics/catalogue.d.ts');
    for (const name of ['makeDiagnostic', 'HINTS']) if (catalogue.includes(name)) throw new Error(`diagnostics/catalogue.d.ts declares ${name}`);
  });

  check('the installed types refuse `new ReachabilityIndex()` and subclassing it (an index comes from compile)', () => {
    writeFileSync(
      join(project, 'misuse.ts'),
      "import { ReachabilityIndex } from '@kubereach/core';\nexport const made = new ReachabilityIndex();\nexport class Mine extends ReachabilityIndex {}\n",
    );
    writeFileSync(
      join(project, 'tsconfig.misuse.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [], module: 'node16', moduleResolution: 'node16' },
        files: ['misuse.ts'],
      }),
    );
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.misuse.json'], { cwd: project, encoding: 'utf8' });
    const codes = [...r.stdout.matchAll(/error (TS\d+)/g)].map((m) => m[1]).join(',');
    // TS2673: constructor of class is private; TS2675: cannot extend a class whose constructor is private
    equal(codes, 'TS2673,TS2675', `tsc errors on misuse.ts (${r.stdout.trim()})`);
  });

  for (const [moduleResolution, module] of [
    ['node16', 'node16'],
    ['bundler', 'esnext'],
    ['node10', 'esnext'],
  ]) {
    check(`the README example type-checks against the installed core under moduleResolution ${moduleResolution}`, () => {
      writeFileSync(
        join(project, `tsconfig.${moduleResolution}.json`),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], types: [], module, moduleResolution, skipLibCheck: false },
          files: ['example.ts'],
        }),
      );
      sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${moduleResolution}.json`], { cwd: project });
    });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
