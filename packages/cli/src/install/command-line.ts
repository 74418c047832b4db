// What `cni-ts install` and `cni-ts uninstall` share on the command line: the destination directory, --force,
// --dry-run and --help, the streams they write to, and how they refuse a plan with conflicts.
import type { ParseArgsConfig } from 'node:util';

export const DEFAULT_DEST = '/opt/cni/bin';

export interface IoStreams { stdout: (s: string) => void; stderr: (s: string) => void }
export const processIo: IoStreams = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** parseArgs options of both commands; install adds its own. */
export const destinationOptions = {
  dest: { type: 'string', default: DEFAULT_DEST },
  force: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** The message of a refused plan: every conflict, one a line; nothing was changed. */
export function nothingChanged(command: string, conflicts: readonly string[]): string {
  return `cni-ts ${command}: nothing was changed:\n${conflicts.map((c) => `  ${c}\n`).join('')}`;
}
