// Delegation (IPAM): run another plugin with our exact stdin and environment, CNI_COMMAND replaced
// (Go: invoke.DelegateAdd/Del/Check/Status/GC). How it runs is a DelegateRunner, so a faster in-process runner
// can replace the exec one without any plugin noticing.
import { CniError, ErrorCode, isCniError } from './errors.ts';
import { goQuote } from './go-json.ts';
import type { CommandVerb } from './plugin.ts';
import type { Result } from './result/model.ts';
import { parseResult } from './result/parse.ts';
import type { CniVersion } from './versions.ts';

export interface Delegate {
  /** The delegate's result, parsed into the 1.x model. */
  add(type: string): Promise<Result>;
  del(type: string): Promise<void>;
  check(type: string): Promise<void>;
  status(type: string): Promise<void>;
  gc(type: string): Promise<void>;
}

export interface DelegateRequest {
  /** the plugin to run, e.g. "host-local" (the `ipam.type`) */
  type: string;
  command: CommandVerb;
  /** the calling plugin's stdin, byte for byte */
  stdin: Buffer;
  /** the calling plugin's environment with CNI_COMMAND already replaced */
  env: Record<string, string | undefined>;
  cniPath: readonly string[];
  timeoutMs: number;
}

/**
 * Runs one delegated plugin invocation. Resolves with its stdout on success; rejects with a CniError carrying the
 * delegate's own code, msg and details when it reports an error.
 */
export interface DelegateRunner {
  exec(request: DelegateRequest): Promise<string>;
}

export const defaultDelegateTimeoutMs = 60_000;

export interface DelegateOptions {
  runner: DelegateRunner;
  stdin: Buffer;
  env: Readonly<Record<string, string | undefined>>;
  cniPath: readonly string[];
  /** a result without its own cniVersion is read as this version (Go: the config's version) */
  cniVersion: CniVersion;
  timeoutMs: number;
}

function parseDelegateResult(type: string, stdout: string, cniVersion: CniVersion): Result {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (e) {
    throw new CniError(ErrorCode.Internal, `failed to parse the result of ${goQuote(type)}: ${(e as Error).message}`, stdout.slice(0, 512), {
      cause: e,
    });
  }
  try {
    return parseResult(json, cniVersion);
  } catch (e) {
    if (!isCniError(e)) throw e;
    throw new CniError(ErrorCode.Internal, `invalid result from ${goQuote(type)}: ${e.msg}`, e.details, { cause: e });
  }
}

export function createDelegate(opts: DelegateOptions): Delegate {
  const run = (type: string, command: CommandVerb): Promise<string> =>
    opts.runner.exec({
      type,
      command,
      stdin: opts.stdin,
      env: { ...opts.env, CNI_COMMAND: command },
      cniPath: opts.cniPath,
      timeoutMs: opts.timeoutMs,
    });
  return {
    add: async (type) => parseDelegateResult(type, await run(type, 'ADD'), opts.cniVersion),
    del: async (type) => void (await run(type, 'DEL')),
    check: async (type) => void (await run(type, 'CHECK')),
    status: async (type) => void (await run(type, 'STATUS')),
    gc: async (type) => void (await run(type, 'GC')),
  };
}

/** The CniError for a delegate that ran out of time (the exec runner then kills it). */
export function delegateTimedOut(req: Pick<DelegateRequest, 'type' | 'command' | 'timeoutMs'>, stderr: string): CniError {
  return new CniError(
    ErrorCode.TryAgainLater,
    `plugin ${goQuote(req.type)} timed out after ${req.timeoutMs} ms (${req.command})`,
    stderr === '' ? undefined : `stderr: ${stderr.slice(-2048)}`,
  );
}

/**
 * The CniError for a delegate that exited non-zero, from what it printed (Go: invoke.RawExec.pluginErr).
 * Its error JSON is passed on unchanged; otherwise the message quotes its stderr or stdout.
 */
export function delegateFailure(how: string, stdout: string, stderr: string): CniError {
  if (stdout.trim() === '') {
    return stderr === ''
      ? new CniError(ErrorCode.Internal, `netplugin failed with no error message: ${how}`)
      : new CniError(ErrorCode.Internal, `netplugin failed: ${goQuote(stderr)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (e) {
    return new CniError(
      ErrorCode.Internal,
      `netplugin failed but error parsing its diagnostic message ${goQuote(stdout)}: ${(e as Error).message}`,
    );
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const code = typeof o.code === 'number' && Number.isInteger(o.code) && o.code > 0 ? o.code : ErrorCode.Internal;
  const msg = typeof o.msg === 'string' ? o.msg : `netplugin failed: ${how}`;
  return new CniError(code, msg, typeof o.details === 'string' ? o.details : undefined);
}
