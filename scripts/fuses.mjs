// The Electron fuses the packaged app ships with: switches compiled into the Electron binary that
// no environment variable or command-line flag can turn back. scripts/after-pack.mjs flips them in
// every package (electron-builder's afterPack). Names are @electron/fuses' FuseV1Options; every
// fuse is listed, so an Electron upgrade that adds one is noticed (the packaging test fails).

/** The fuses for a package of `platform` (electron-builder's electronPlatformName). */
export function fusesFor(platform) {
  return {
    // ELECTRON_RUN_AS_NODE cannot turn the app into a general-purpose Node.js.
    RunAsNode: false,
    EnableCookieEncryption: true,
    // NODE_OPTIONS and --inspect cannot inject code or a debugger into the main process.
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    // The app code is read only from its asar archive, checked against the hash electron-builder
    // embeds (in Info.plist: macOS only with the electron-builder in use).
    EnableEmbeddedAsarIntegrityValidation: platform === 'darwin',
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    // The window loads its page from file://, which needs the protocol's usual privileges.
    GrantFileProtocolExtraPrivileges: true,
  }
}
