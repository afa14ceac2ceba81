// The import-graph check (`npm run check:imports`, part of `npm test`): ARCHITECTURE.md's layers
// as dependency-cruiser rules. A module may import its own folder and the folders of lower layers,
// never a higher one; no cycle anywhere; the core imports no Node built-in and never the CLI or web.
// Keep CORE_LAYERS in the order ARCHITECTURE.md lists them.

/** packages/core/src folders, lowest first. Folders on one line form one layer. */
const CORE_LAYERS = [
  ['text', 'errors.ts'],
  ['diagnostics'],
  ['base'],
  ['net'],
  ['load'],
  ['model'],
  ['compile'],
  ['evaluate'],
  ['pipeline'],
  ['targets'],
  ['query'],
  ['services'],
  ['graph'],
  ['audit'],
  ['lint'],
  ['diff'],
  ['synth'],
  ['assert'],
  ['report'],
  ['index.ts'],
];

const CORE = '^packages/core/src/';
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folder = (f) => (f.endsWith('.ts') ? esc(f) + '$' : esc(f) + '/');

const layerRules = CORE_LAYERS.slice(0, -1).map((layer, i) => {
  const higher = CORE_LAYERS.slice(i + 1).flat();
  return {
    name: `core-layer-${layer.join('+')}`,
    comment: `${layer.join(', ')} may import only itself and lower layers (ARCHITECTURE.md)`,
    severity: 'error',
    from: { path: `${CORE}(${layer.map(folder).join('|')})` },
    to: { path: `${CORE}(${higher.map(folder).join('|')})` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle hides which module is the lower one; break it by moving the shared part down',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-no-node',
      comment: 'the core runs in a browser: no Node built-ins (I/O belongs to the CLI)',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-not-above-itself',
      comment: 'the core never imports the CLI or the web package',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(cli|web)/' },
    },
    {
      name: 'web-not-cli',
      comment: 'the report page and playground use the core, never CLI sources',
      severity: 'error',
      from: { path: '^packages/web/' },
      to: { path: '^packages/cli/' },
    },
    {
      name: 'packages-by-name',
      comment: "a package uses another only through its public entry ('@kubereach/core'), never a relative path into its sources",
      severity: 'error',
      from: { path: '^packages/(cli|web)/src/' },
      to: { path: '^packages/core/', pathNot: '^packages/core/dist/index\\.(js|d\\.ts)$' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/|\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'], extensions: ['.ts', '.js'] },
  },
};
