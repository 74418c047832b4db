// The DelegateRunner that executes the delegate binary from CNI_PATH (Go: invoke.RawExec), asynchronously and
// without a shell: stdin piped in, stdout captured, stderr passed through, a timeout, and retries of "text
// file busy" (ETXTBSY: the binary is being written, e.g. during a plugin upgrade).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { CniError, ErrorCode } from './errors.ts';
import { delegateFailure, delegateTimedOut, type DelegateRequest, type DelegateRunner } from './delegate.ts';
import { findInPath } from './find-in-path.ts';

export interface ExecRunnerOptions {
  /** where the delegate's stderr goes as it arrives (our stderr) */
  stderr?: (chunk: string) => void;
  /** ETXTBSY retries after the first attempt (Go: 5, one second apart) */
  busyRetries?: number;
  busyRetryDelayMs?: number;
  /** after the timeout the delegate gets SIGTERM, then SIGKILL this much later */
  killGraceMs?: number;
  /** after the delegate exits, how long to wait for its stdout to close (a daemon it started may hold it open) */
  drainMs?: number;
}

const maxCapturedStderr = 64 * 1024;

const signalText: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGPIPE: 'broken pipe',
};

/**
 * node:child_process, loaded on demand. process.getBuiltinModule (Node >= 20.16) is synchronous; a dynamic
 * import() would start the ESM loader (about 3 ms) and does not work inside a code-cached vm.Script at all.
 */
async function loadChildProcess(): Promise<typeof import('node:child_process')> {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule('node:child_process');
  return import('node:child_process');
}

class SpawnError extends Error {
  constructor(readonly original: NodeJS.ErrnoException) {
    super(original.message);
  }
}

async function runOnce(path: string, req: DelegateRequest, opts: Required<Omit<ExecRunnerOptions, 'stderr'>> & ExecRunnerOptions): Promise<string> {
  // Loaded on first delegation only: most invocations (VERSION, DEL without IPAM, ...) never spawn.
  const { spawn } = await loadChildProcess();
  return new Promise<string>((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(path, [], { env: req.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      // Some exec failures (ETXTBSY among them) are thrown here rather than emitted as 'error'.
      reject(new SpawnError(e as NodeJS.ErrnoException));
      return;
    }
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs);
    }, req.timeoutMs);
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      fn();
    };

    child.on('error', (err: NodeJS.ErrnoException) => finish(() => reject(new SpawnError(err))));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < maxCapturedStderr) stderr += chunk;
      opts.stderr?.(chunk);
    });
    // A delegate that exits without reading stdin closes the pipe: EPIPE here is not the delegate's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(req.stdin);

    // 'close' waits for the stdio pipes to close, which never happens while something the delegate started (a
    // daemon) still holds them; so after 'exit', wait for the pipes only briefly (Go's exec hangs here).
    let drainTimer: NodeJS.Timeout | undefined;
    const done = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => {
        clearTimeout(drainTimer);
        child.stdout.destroy();
        child.stderr.destroy();
        const out = Buffer.concat(stdout).toString('utf8');
        if (timedOut) {
          reject(delegateTimedOut(req, stderr));
        } else if (code === 0) resolve(out);
        else {
          const how = signal ? `signal: ${signalText[signal] ?? signal}` : `exit status ${String(code)}`;
          reject(delegateFailure(how, out, stderr));
        }
      });
    child.on('exit', (code, signal) => {
      drainTimer = setTimeout(() => done(code, signal), opts.drainMs);
    });
    child.on('close', (code, signal) => done(code, signal));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createExecRunner(options: ExecRunnerOptions = {}): DelegateRunner {
  const opts = { busyRetries: 5, busyRetryDelayMs: 1000, killGraceMs: 1000, drainMs: 250, ...options };
  return {
    async exec(req) {
      const path = findInPath(req.type, req.cniPath);
      for (let attempt = 0; ; attempt++) {
        try {
          return await runOnce(path, req, opts);
        } catch (e) {
          if (!(e instanceof SpawnError)) throw e;
          if (e.original.code === 'ETXTBSY' && attempt < opts.busyRetries) {
            await sleep(opts.busyRetryDelayMs);
            continue;
          }
          throw new CniError(ErrorCode.Internal, `netplugin failed with no error message: ${e.original.message}`, undefined, {
            cause: e.original,
          });
        }
      }
    },
  };
}
