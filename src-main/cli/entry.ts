// The entry point of the bundled CLI (out/cli/podnet.cjs, run by bin/podnet.js).
import { main } from './main.ts'

// A reader that went away (`podnet scenarios | head -1`) ends the command quietly: nothing more
// can be said, and it is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
