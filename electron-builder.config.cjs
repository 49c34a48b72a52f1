// Packaging with electron-builder (npm run dist): AppImage and deb for Linux, dmg for macOS, an
// NSIS installer for Windows. The package holds the app's build (out/main, out/preload,
// out/renderer), package.json and the production dependencies, nothing else (no sources, tests,
// source maps or dev dependencies: test/unit/packaging.test.ts checks it). Lab files (.podnet)
// open with the app. Every package's Electron binary gets the fuses of scripts/fuses.mjs.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.podnet.lab',
  productName: 'PodNet Lab',
  executableName: 'podnet-lab',
  copyright: 'Copyright © PodNet Lab contributors',
  directories: { output: 'release', buildResources: 'build' },
  files: ['package.json', 'out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', '!**/*.map', '!**/*.{test,spec}.*'],
  asar: true,
  // No native modules: nothing to rebuild against Electron's headers.
  npmRebuild: false,
  nodeGypRebuild: false,
  // Chromium's UI strings for the app's two languages only.
  electronLanguages: ['en-US', 'ja'],
  fileAssociations: [
    {
      ext: 'podnet',
      name: 'PodNet Lab file',
      description: 'PodNet Lab file',
      mimeType: 'application/x-podnet-lab',
      role: 'Editor',
      rank: 'Owner',
    },
  ],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    icon: 'build/icon.png',
    synopsis: 'Build Kubernetes pod networking and watch a packet go through it',
    mimeTypes: ['application/x-podnet-lab'],
  },
  deb: { packageCategory: 'education' },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.education',
    icon: 'build/icon.png',
    hardenedRuntime: true,
  },
  win: { target: ['nsis'], icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  afterPack: (context) => import('./scripts/after-pack.mjs').then((m) => m.default(context)),
}
