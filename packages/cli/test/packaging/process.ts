// Child-process helpers for the packaging tests, which run the built artefacts as a runtime or a user would.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface Exit { code: number | null; signal: string | null; stdout: string; stderr: string }

export interface ExecOptions {
  cwd?: string;
  /** The complete environment (nothing is inherited when given). */
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

export function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Exit {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  // EPIPE: the child exited before reading its stdin (e.g. its interpreter was not found); its exit status tells.
  if (r.error && !((r.error as NodeJS.ErrnoException).code === 'EPIPE' && r.status !== null)) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed; returns its stdout, or throws with everything it printed. */
export function run(cmd: string, args: readonly string[], opts: ExecOptions = {}): string {
  const r = exec(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}
