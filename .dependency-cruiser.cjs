// The layering of docs/ARCHITECTURE.md, enforced. Each rule names the layer it protects.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment: 'The engine is pure TypeScript: it imports only itself and shared/.',
      severity: 'error',
      from: { path: '^src-main/engine/' },
      to: { pathNot: ['^src-main/engine/', '^shared/'] },
    },
    {
      name: 'k8s-below-lab',
      comment: 'The Kubernetes layer builds on the engine only.',
      severity: 'error',
      from: { path: '^src-main/k8s/' },
      to: { pathNot: ['^src-main/k8s/', '^src-main/engine/', '^shared/'] },
    },
    {
      name: 'k8s-no-node-builtins',
      comment: 'The Kubernetes layer runs in the browser build\'s Worker too.',
      severity: 'error',
      from: { path: '^src-main/(k8s|engine|ipc|exercises)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'lab-below-ipc',
      severity: 'error',
      from: { path: '^src-main/lab/' },
      to: { path: ['^src-main/(ipc|cli|exercises)/', '^src-main/(index|preload)\\.ts$'] },
    },
    {
      name: 'exercises-below-ipc',
      comment: 'Exercises sit above lab/ and k8s/, below the handler table and the CLI.',
      severity: 'error',
      from: { path: '^src-main/exercises/' },
      to: { path: ['^src-main/(ipc|cli)/', '^src-main/(index|preload)\\.ts$'] },
    },
    {
      name: 'ipc-no-shell',
      comment: 'The IPC handler table is the same in Electron and in the Worker: no electron, no shell.',
      severity: 'error',
      from: { path: '^src-main/ipc/' },
      to: { path: ['^src-main/cli/', '^src-main/(index|preload)\\.ts$'] },
    },
    {
      name: 'electron-only-in-shell',
      comment: 'Importing electron where tests run triggers the binary download.',
      severity: 'error',
      from: { pathNot: '^src-main/(index|preload|shell/)' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'shared-imports-no-src',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^src-' },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-talks-through-api',
      comment: 'The renderer reaches src-main only from the browser build\'s Worker entry.',
      severity: 'error',
      from: { path: '^src-renderer/', pathNot: '^src-renderer/web/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'no-runtime-cycles',
      comment:
        'Modules that import each other at run time are one module in two files: load order decides what is defined when. ' +
        'Pass what a module needs (the command table reaches `ip netns exec` and `timeout` through their Ctx). ' +
        'Type-only imports are erased and may form cycles.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.vue', '.mjs'] },
  },
}
