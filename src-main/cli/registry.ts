// Every `podnet` command, in the order `podnet --help` lists them. Adding a command is one
// module under commands/ and one line here.
import type { CliCommand } from './command.ts'
import { newCommand } from './commands/new.ts'
import { traceCommand } from './commands/trace.ts'
import { captureCommand } from './commands/capture.ts'
import { compareCommand } from './commands/compare.ts'
import { runCommand } from './commands/run.ts'
import { execCommand } from './commands/exec.ts'
import { exportCommand } from './commands/export.ts'
import { scenariosCommand } from './commands/scenarios.ts'
import { exercisesCommand } from './commands/exercises.ts'
import { exerciseCommand } from './commands/exercise.ts'
import { helpCommand } from './commands/help.ts'
import { completionCommand } from './commands/completion.ts'

export const COMMANDS: readonly CliCommand[] = [
  newCommand,
  traceCommand,
  captureCommand,
  compareCommand,
  runCommand,
  execCommand,
  exportCommand,
  scenariosCommand,
  exercisesCommand,
  exerciseCommand,
  completionCommand,
  helpCommand,
]
