// Small JSON files the shell keeps in the user data folder (settings, recent labs, window
// placement). Read leniently: a missing or damaged file gives the defaults, never an error at
// start-up. Written atomically, so a crash leaves the old file or the new one.
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFileAtomic } from '../lab/files.ts'

export function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
