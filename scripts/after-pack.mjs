// electron-builder's afterPack hook: flips the fuses of scripts/fuses.mjs in the packed Electron
// binary, before the package is signed and assembled.
import { join } from 'node:path'
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses'
import { fusesFor } from './fuses.mjs'

/** electron-builder's Arch.arm64. */
const ARCH_ARM64 = 3

/** The @electron/fuses configuration for a platform: every FuseV1Options member, by name. */
export function fuseConfig(platform, arch, fuses = fusesFor(platform)) {
  const names = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)))
  const missing = names.filter((n) => !(n in fuses))
  const unknown = Object.keys(fuses).filter((n) => !names.includes(n))
  if (missing.length || unknown.length) throw new Error(`scripts/fuses.mjs: ${missing.length ? `no value for ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown fuses ${unknown.join(', ')}` : ''}`)
  const config = { version: FuseVersion.V1, resetAdHocDarwinSignature: platform === 'darwin' && arch === ARCH_ARM64 }
  for (const n of names) config[FuseV1Options[n]] = fuses[n]
  return config
}

/** The Electron binary inside the packed app (the .app bundle on macOS). */
export function packedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const name = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`)
  return join(appOutDir, packager.executableName)
}

export default async function afterPack(context) {
  await flipFuses(packedBinary(context), fuseConfig(context.electronPlatformName, context.arch))
}
