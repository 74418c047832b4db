// Two ways to run one plugin invocation, with the same outcome type:
// - in-process: a long-lived worker process (worker-main.ts) runs the plugin definitions through skel's
//   dispatcher with injected io; ~1 ms per rejected config instead of ~50 ms for a process start;
// - exec: the real bundled executable (what a runtime runs), for process-level output purity.
// Kernel-touching plugins run in a throwaway "host" namespace: the worker, or each exec, through `ip netns exec`.
// Both enforce a per-invocation timeout (a hang is a failure, never a stuck test).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LinkInfo, MemoryInfo, WorkerReply, WorkerRequest } from './worker-protocol.ts';

export interface Invocation {
  plugin: string;
  env: Record<string, string | undefined>;
  stdin: Buffer;
}

export interface Outcome {
  via: 'in-process' | 'exec';
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** the worker's resident set after the call (in-process only) */
  rss?: number;
  /** text the process wrote to its real stdout outside the protocol (in-process), or why it died */
  stray?: string;
  timedOut?: boolean;
}

/** A runtime's minimal environment: no NODE_OPTIONS or NODE_EXTRA_CA_CERTS, tools in sbin. */
export const PLUGIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const wrap = (netns: string | undefined, cmd: string, args: string[]): [string, string[]] =>
  netns === undefined ? [cmd, args] : ['ip', ['netns', 'exec', netns, cmd, ...args]];

export class InProcessWorker implements AsyncDisposable {
  #child: ChildProcess;
  #nextId = 1;
  #pending = new Map<number, (r: WorkerReply) => void>();
  #stray = '';
  #exited: Promise<void>;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stdout!.on('data', (b: Buffer) => void (this.#stray += b.toString()));
    // The worker's own stderr: plugins log through the captured io, so this is only node itself (warnings).
    child.stderr!.on('data', (b: Buffer) => void (this.#stray += `[stderr] ${b.toString()}`));
    const replies = createInterface({ input: child.stdio[3] as Readable, crlfDelay: Infinity });
    replies.on('line', (line) => {
      const r = JSON.parse(line) as WorkerReply;
      this.#pending.get(r.id)?.(r);
      this.#pending.delete(r.id);
    });
    this.#exited = new Promise((resolve) => child.on('exit', () => resolve()));
  }

  /** Starts a worker, inside `netns` when given. */
  static start(bundle: string, netns?: string): InProcessWorker {
    const [cmd, args] = wrap(netns, process.execPath, ['--expose-gc', bundle]);
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { PATH: PLUGIN_PATH } });
    return new InProcessWorker(child);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  async invoke(inv: Invocation, timeoutMs: number): Promise<Outcome> {
    const id = this.#nextId++;
    const req: WorkerRequest = { id, kind: 'invoke', plugin: inv.plugin, env: inv.env, stdinBase64: inv.stdin.toString('base64') };
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<WorkerReply | 'timeout' | 'exit'>((resolve) => {
      this.#pending.set(id, resolve);
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      void this.#exited.then(() => resolve('exit'));
    });
    (this.#child.stdin as Writable).write(`${JSON.stringify(req)}\n`);
    const r = await reply;
    clearTimeout(timer);
    const stray = this.#takeStray();
    if (r === 'timeout') {
      this.#child.kill('SIGKILL');
      return { via: 'in-process', code: -1, stdout: '', stderr: '', ms: timeoutMs, timedOut: true, stray };
    }
    if (r === 'exit') return { via: 'in-process', code: -1, stdout: '', stderr: '', ms: 0, stray: `worker exited ${stray}` };
    if ('crash' in r) return { via: 'in-process', code: -1, stdout: '', stderr: '', ms: 0, stray: `runPlugin threw: ${r.crash}` };
    if (!('code' in r)) throw new Error('worker answered an invocation with something else');
    return { via: 'in-process', code: r.code, stdout: r.stdout, stderr: r.stderr, ms: r.ms, rss: r.rss, ...(stray ? { stray } : {}) };
  }

  /** The links of a namespace (the worker's own when netns is undefined), read over netlink by the worker. */
  async links(netns: string | undefined, timeoutMs = 10_000): Promise<LinkInfo[]> {
    const r = await this.#ask((id) => (netns === undefined ? { id, kind: 'links' } : { id, kind: 'links', netns }), timeoutMs);
    if (!('links' in r)) throw new Error('worker answered a link listing with something else');
    return r.links;
  }

  /** The worker's memory after a full garbage collection, and its open file descriptors. */
  async memory(timeoutMs = 10_000): Promise<MemoryInfo> {
    const r = await this.#ask((id) => ({ id, kind: 'memory' }), timeoutMs);
    if (!('memory' in r)) throw new Error('worker answered a memory request with something else');
    return r.memory;
  }

  async #ask(make: (id: number) => WorkerRequest, timeoutMs: number): Promise<WorkerReply> {
    const id = this.#nextId++;
    let timer: NodeJS.Timeout | undefined;
    const reply = new Promise<WorkerReply | 'timeout' | 'exit'>((resolve) => {
      this.#pending.set(id, resolve);
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      void this.#exited.then(() => resolve('exit'));
    });
    (this.#child.stdin as Writable).write(`${JSON.stringify(make(id))}\n`);
    const r = await reply;
    clearTimeout(timer);
    if (typeof r === 'string') throw new Error(`worker did not answer (${r})`);
    if ('crash' in r) throw new Error(r.crash);
    return r;
  }

  #takeStray(): string {
    const s = this.#stray;
    this.#stray = '';
    return s;
  }

  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.alive) return;
    (this.#child.stdin as Writable).end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await this.#exited;
    clearTimeout(timer);
  }
}

/** Runs the executable once, inside `netns` when given; NUL bytes cannot be passed to exec (callers avoid them). */
export function execOnce(executable: string, inv: Invocation, opts: { netns?: string; timeoutMs: number; prefix?: string[] }): Promise<Outcome> {
  const env = Object.fromEntries(Object.entries({ PATH: PLUGIN_PATH, ...inv.env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const [first, ...rest] = [...(opts.prefix ?? []), executable];
  const [cmd, args] = wrap(opts.netns, first!, rest);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // VERSION never reads stdin
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        via: 'exec',
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        ...(timedOut ? { timedOut } : {}),
        ...(signal && !timedOut ? { stray: `killed by ${signal}` } : {}),
      });
    });
    child.stdin.end(inv.stdin);
  });
}

export interface KillOutcome {
  /** true when SIGKILL arrived before the plugin finished on its own */
  killed: boolean;
  /** the exit code when it finished first */
  code: number | null;
  /** how long it ran */
  ms: number;
}

/**
 * Runs the executable and SIGKILLs it after `killAfterMs`, with its whole process group (the delegated IPAM
 * plugin and any iptables/nft it runs), as a runtime whose exec timeout fires, or a node that loses power, does.
 */
export function execAndKill(executable: string, inv: Invocation, opts: { netns?: string; killAfterMs: number }): Promise<KillOutcome> {
  const env = Object.fromEntries(Object.entries({ PATH: PLUGIN_PATH, ...inv.env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  // `ip netns exec` execs the plugin in place, so the child's pid is the plugin's and it leads the group.
  const [cmd, args] = wrap(opts.netns, executable, []);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        killed = false; // the group is already gone: it finished first
      }
    }, opts.killAfterMs);
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: killed && signal === 'SIGKILL', code, ms: performance.now() - started });
    });
    child.stdin.end(inv.stdin);
  });
}
