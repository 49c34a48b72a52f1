/** Saves bytes or text as a file through the browser's download (works in Electron's window too). */
export function download(name: string, data: string | Uint8Array, type: string): void {
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data)
  const url = URL.createObjectURL(new Blob([part], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Revoke later: the download starts asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name from a lab name: letters, digits, '.', '_' and '-' only. */
export function safeFileName(name: string, ext: string): string {
  return `${name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '') || 'lab'}${ext}`
}
