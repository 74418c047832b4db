// Running one plugin executable the way libcni's pkg/invoke does: find it in CNI_PATH, give it the CNI_* environment
// and the config on stdin, retry while the file is still being written, and turn a failure into a CniError.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CniError } from '@cni-ts/skel';

export interface ExecRequest {
  readonly path: string;
  readonly stdin: Buffer;
  readonly env: Readonly<Record<string, string>>;
  /** Kill the plugin (SIGKILL) after this long; undefined = wait forever, as libcni does without a deadline. */
  readonly timeoutMs?: number;
}

export interface ExecOutput {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Starts one plugin process. Rejects only when the program cannot be started (the error's `code`, e.g. ETXTBSY,
 * says why); a plugin that ran and failed resolves with its exit code. Tests substitute a wrapper, e.g. one that
 * runs the plugin inside another network namespace.
 */
export type PluginExec = (req: ExecRequest) => Promise<ExecOutput>;

export const spawnPlugin: PluginExec = (req) =>
  new Promise((resolve, reject) => {
    const child = spawn(req.path, [], { env: req.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: req.timeoutMs, killSignal: 'SIGKILL' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    // A plugin that exits without reading stdin closes the pipe under us; its exit status is what matters.
    child.stdin.on('error', () => undefined);
    child.on('close', (exitCode, signal) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode, signal }));
    child.stdin.end(req.stdin);
  });

/** The first regular file named `type` in the search path. */
export async function findInPath(type: string, paths: readonly string[]): Promise<string> {
  if (type === '') throw new Error('no plugin name provided');
  if (type.includes('/') || type.includes('\\')) throw new Error(`invalid plugin name: ${type}`);
  if (paths.length === 0) throw new Error('no paths provided');
  for (const dir of paths) {
    const full = join(dir, type);
    const st = await stat(full).catch(() => undefined);
    if (st?.isFile()) return full;
  }
  throw new Error(`failed to find plugin ${JSON.stringify(type)} in path [${paths.join(' ')}]`);
}

export interface InvokeArgs {
  readonly command: 'ADD' | 'DEL' | 'CHECK' | 'GC' | 'STATUS' | 'VERSION';
  readonly containerId: string;
  readonly netns: string;
  readonly ifName: string;
  readonly pluginArgs: readonly (readonly [string, string])[];
  readonly path: string;
}

/** The caller's environment with all six CNI_* variables set (possibly empty), as libcni's Args.AsEnv. */
export function pluginEnv(base: Readonly<Record<string, string | undefined>>, args: InvokeArgs): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  env.CNI_COMMAND = args.command;
  env.CNI_CONTAINERID = args.containerId;
  env.CNI_NETNS = args.netns;
  env.CNI_ARGS = args.pluginArgs.map(([k, v]) => `${k}=${v}`).join(';');
  env.CNI_IFNAME = args.ifName;
  env.CNI_PATH = args.path;
  return env;
}

/** Go's exec.ExitError text, which libcni puts into its messages. */
function exitText(out: ExecOutput): string {
  return out.signal ? `signal: ${out.signal}` : `exit status ${out.exitCode ?? -1}`;
}

/** A failed plugin's error: the JSON on its stdout, or a message built from stderr when stdout is empty or garbage. */
export function pluginError(out: ExecOutput): CniError {
  const stdout = out.stdout.toString();
  if (stdout.length === 0) {
    const stderr = out.stderr.toString();
    return new CniError(0, stderr.length === 0
      ? `netplugin failed with no error message: ${exitText(out)}`
      : `netplugin failed: ${JSON.stringify(stderr)}: ${exitText(out)}`);
  }
  try {
    const e = JSON.parse(stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof e !== 'object' || e === null) throw new Error(`cannot unmarshal ${typeof e} into an error object`);
    return new CniError(
      typeof e.code === 'number' ? e.code : 0,
      typeof e.msg === 'string' ? e.msg : '',
      typeof e.details === 'string' ? e.details : undefined,
    );
  } catch (err) {
    return new CniError(0, `netplugin failed but error parsing its diagnostic message ${JSON.stringify(stdout)}: ${(err as Error).message}`);
  }
}

export interface RunPluginOptions {
  readonly exec: PluginExec;
  readonly stderr?: (chunk: Buffer) => void;
  readonly timeoutMs?: number;
  /** How long to wait before retrying a "text file busy" plugin (1 s in libcni; tests shorten it). */
  readonly busyRetryMs?: number;
}

const busyRetries = 5;

/** Runs the plugin and returns its stdout; a non-zero exit throws the plugin's CniError. */
export async function runPlugin(path: string, stdin: Buffer, env: Record<string, string>, opts: RunPluginOptions): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    let out: ExecOutput;
    try {
      out = await opts.exec({ path, stdin, env, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
    } catch (err) {
      // The executable is being replaced (an upgrade copies it in place): wait, then try again.
      if ((err as NodeJS.ErrnoException).code === 'ETXTBSY' && attempt < busyRetries) {
        await sleep(opts.busyRetryMs ?? 1000);
        continue;
      }
      throw new Error(`failed to run plugin ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err });
    }
    if (out.stderr.length > 0) opts.stderr?.(out.stderr);
    if (out.exitCode !== 0) throw pluginError(out);
    return out.stdout;
  }
}
