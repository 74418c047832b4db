// Running the host tools the fixtures need (ip, iptables-save, nft, ping). Only test fixtures spawn these; the
// product never does.
import { spawn } from 'node:child_process';

export interface ToolResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

export interface ToolOptions {
  readonly input?: string | Buffer;
  readonly env?: Readonly<Record<string, string>>;
  /** Resolve with the failure instead of throwing. */
  readonly allowFail?: boolean;
  readonly timeoutMs?: number;
}

/** Runs `cmd args` and returns its output; a non-zero exit throws with the command line and stderr. */
export function tool(cmd: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
      ...(opts.env ? { env: opts.env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // the tool may exit without reading its input
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const r = { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code };
      if (code === 0 || opts.allowFail) resolve(r);
      else reject(new Error(`${cmd} ${args.join(' ')}: ${signal ? `killed by ${signal}` : `exit ${code}`}: ${r.stderr.trim() || r.stdout.trim()}`));
    });
    child.stdin.end(opts.input ?? '');
  });
}
