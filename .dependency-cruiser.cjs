// The layers of src/ (docs/architecture.md): a module imports only from its own layer or the layers
// below it, never in a cycle. `npm test` runs this through test/unit/layers.test.ts.
const LAYERS = [
  ['core', '^src/core/'],
  ['dns and network', '^src/(dns|net|tls|smtp)/'],
  ['facts', '^src/facts/'],
  ['families', '^src/families/'],
  ['engine', '^src/engine/'],
  ['modes', '^src/modes/'],
  ['catalog', '^src/catalog/'],
  ['reporters', '^src/report/'],
  ['front ends', '^src/(cli|serve|demo)/'],
  ['library entry', '^src/index\\.ts$'],
];

const upward = LAYERS.slice(0, -1).map(([name, path], rank) => ({
  name: `no-upward-import-from-${name.replace(/ /g, '-')}`,
  comment: `${name} may import only its own layer and those below it`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(rank + 1).map(([, above]) => above) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycle, type-only imports included', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    {
      name: 'family-imports-only-itself-and-common',
      comment: 'a family folder imports its own modules and families/common, never another family',
      severity: 'error',
      from: { path: '^src/families/([^/]+)/' },
      to: { path: '^src/families/', pathNot: ['^src/families/$1/', '^src/families/common/'] },
    },
    {
      name: 'common-imports-no-family',
      comment: 'families/common is shared by the families and depends on none of them',
      severity: 'error',
      from: { path: '^src/families/common/' },
      to: { path: '^src/families/(?!common/)' },
    },
    {
      name: 'mode-imports-no-other-mode',
      comment: 'each mode stands on the engine and the families, not on another mode',
      severity: 'error',
      from: { path: '^src/modes/(zone|authoritative|postfix)/' },
      to: { path: '^src/modes/', pathNot: ['^src/modes/$1/'] },
    },
    { name: 'no-test-code-in-src', comment: 'test support lives in test/', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
    { name: 'no-orphans', comment: 'every module of src/ is used', severity: 'error', from: { orphan: true, path: '^src/', pathNot: ['\\.d\\.ts$', '^src/index\\.ts$', '^src/cli/bin\\.ts$', '^src/demo/main\\.ts$', '^src/catalog/write-docs\\.ts$', '^src/report/html/browser/'] }, to: {} },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
