/**
 * The module graph's rules (ARCHITECTURE.md, "Module graph"). Run by `npm run lint:deps`.
 * Only src/ and libs/ are checked: tests and benchmarks may reach anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import what they use and the graph has no cycles.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-folders',
      severity: 'error',
      comment: 'Feature folders form a graph without cycles (a cycle between two folders hides behind separate files).',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'libs-stand-alone',
      severity: 'error',
      comment: 'libs/ is reusable by others: it never imports the application.',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'protocol-libraries-in-protocols',
      severity: 'error',
      comment: 'Fedify and @atproto/* are used only under src/protocols/ (and libs/); features reach a network through an adapter.',
      from: { path: '^src/', pathNot: '^src/protocols/' },
      to: { path: 'node_modules/(@fedify|@atproto)/' },
    },
    {
      name: 'protocols-behind-the-port',
      severity: 'error',
      comment: 'Nothing outside src/protocols/ imports a protocol module, except the app module that wires them.',
      from: { path: '^src/', pathNot: '^src/(protocols/|app\\.module\\.ts$|herald\\.ts$|database/entities\\.ts$)' },
      to: { path: '^src/protocols/' },
    },
    {
      name: 'no-dead-modules',
      severity: 'error',
      comment: 'A module nothing imports is dead code (entry points and the browser modules aside).',
      from: { orphan: true, pathNot: ['^src/(main|cli)\\.ts$', '^src/admin/browser/', '\\.d\\.ts$', '(^|/)index\\.ts$'] },
      to: {},
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^(src|libs)/|node_modules/(@fedify|@atproto)/',
    exclude: { path: '\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: {
      archi: { collapsePattern: '^src/(protocols/[^/]+|[^/]+)/|^libs/[^/]+/' },
    },
  },
};
