// One cell's world: a throwaway "host" namespace (the bridge, its iptables/nftables rules and sysctls live there, and
// the plugins run inside it through `ip netns exec`), one namespace per container, an optional "outside" namespace
// behind the host (to see masquerading), a temp dir for the CNI_PATH, the result cache and the plugins' state, and a
// runner acting as the container runtime. Everything is removed on dispose, also when the cell failed.
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniRunner, type ExecOutput, type PluginExec } from '@cni-ts/cli/run';
import { Netns, randomSuffix, runTag } from './netns.ts';

/** Addresses of the "outside" namespace (documentation prefixes; they exist only inside the cell). */
export const outsideAddrs = { host4: '192.0.2.1', outside4: '192.0.2.2', host6: '2001:db8:ff::1', outside6: '2001:db8:ff::2' } as const;

/** Plugins run with a runtime's minimal environment (and without this process's NODE_* settings). */
const pluginPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SandboxOptions {
  /** Plugin type → executable; each becomes a symlink in the cell's CNI_PATH directory. */
  readonly plugins: Readonly<Record<string, string>>;
  /** Extra executables written into the CNI_PATH directory (failing plugin fixtures). */
  readonly scripts?: Readonly<Record<string, string>>;
  readonly containers: number;
  /** Add an "outside" namespace routed by the host, for masquerade checks. */
  readonly outside?: boolean;
}

export class Sandbox implements AsyncDisposable {
  readonly suffix = randomSuffix();
  /** The network name and bridge name: random, so nothing depends on a fixed name. */
  readonly network = `e2e-${this.suffix}`;
  readonly bridge = `br-${this.suffix}`;
  readonly containers: Netns[] = [];
  outside: Netns | undefined;
  host!: Netns;
  dir!: string;
  runner!: CniRunner;
  /** Every plugin's stderr, for the failure message of a cell. */
  readonly pluginLog: string[] = [];
  readonly #cleanups: Array<() => Promise<void>> = [];

  get binDir(): string { return join(this.dir, 'bin'); }
  get cacheDir(): string { return join(this.dir, 'cache'); }
  get stateDir(): string { return join(this.dir, 'state'); }

  static async create(o: SandboxOptions): Promise<Sandbox> {
    const sb = new Sandbox();
    try {
      await sb.#setUp(o);
      return sb;
    } catch (err) {
      await sb[Symbol.asyncDispose]();
      throw err;
    }
  }

  async #setUp(o: SandboxOptions): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), `cni-ts-e2e-${runTag()}-`));
    this.#cleanups.push(() => rm(this.dir, { recursive: true, force: true }));
    await Promise.all([mkdir(this.binDir), mkdir(this.cacheDir), mkdir(this.stateDir)]);
    for (const [type, target] of Object.entries(o.plugins)) await symlink(target, join(this.binDir, type));
    for (const [type, text] of Object.entries(o.scripts ?? {})) {
      await writeFile(join(this.binDir, type), text);
      await chmod(join(this.binDir, type), 0o755);
    }
    this.host = await this.#netns('h');
    // No duplicate address detection for addresses the host namespace gets later (the bridge's IPv6 gateways):
    // waiting ~2 s for DAD in every IPv6 cell would dominate the run, and the plugins do not manage the bridge's DAD.
    await this.host.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0']);
    for (let i = 1; i <= o.containers; i++) this.containers.push(await this.#netns(`c${i}`));
    if (o.outside) await this.#addOutside();
    this.runner = new CniRunner({
      path: [this.binDir],
      cacheDir: this.cacheDir,
      exec: execIn(this.host.name),
      env: { PATH: pluginPath },
      stderr: (b) => this.pluginLog.push(b.toString()),
      timeoutMs: 30_000,
    });
  }

  async #netns(role: string): Promise<Netns> {
    const ns = await Netns.create(role);
    this.#cleanups.push(() => ns.destroy());
    return ns;
  }

  /** A veth from the host namespace to an "outside" namespace that has no route back to the containers. */
  async #addOutside(): Promise<void> {
    const outside = await this.#netns('o');
    this.outside = outside;
    const hostEnd = `up-${this.suffix}`;
    await this.host.ip(['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', outside.name]);
    await this.host.ip(['addr', 'add', `${outsideAddrs.host4}/24`, 'dev', hostEnd]);
    await this.host.ip(['addr', 'add', `${outsideAddrs.host6}/64`, 'dev', hostEnd, 'nodad']);
    await this.host.ip(['link', 'set', hostEnd, 'up']);
    await outside.ip(['addr', 'add', `${outsideAddrs.outside4}/24`, 'dev', 'eth0']);
    await outside.ip(['addr', 'add', `${outsideAddrs.outside6}/64`, 'dev', 'eth0', 'nodad']);
    await outside.ip(['link', 'set', 'eth0', 'up']);
  }

  /** One more container namespace (removed with the sandbox). */
  async addContainer(): Promise<Netns> {
    const ns = await this.#netns(`c${this.containers.length + 1}`);
    this.containers.push(ns);
    return ns;
  }

  /** The namespaces this cell made (pings may only go to addresses inside these). */
  get namespaces(): Netns[] {
    return [this.host, ...this.containers, ...(this.outside ? [this.outside] : [])];
  }

  /** The tail of the plugins' stderr, to explain a failure. */
  logTail(lines = 20): string {
    return this.pluginLog.join('').trimEnd().split('\n').slice(-lines).join('\n');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const errors: unknown[] = [];
    for (const cleanup of this.#cleanups.reverse()) await cleanup().catch((e: unknown) => errors.push(e));
    this.#cleanups.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, 'sandbox cleanup failed');
  }
}

/** Runs each plugin inside the host namespace, as a runtime on that host would. */
function execIn(nsName: string): PluginExec {
  return (req) => new Promise<ExecOutput>((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', nsName, req.path], {
      env: req.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: req.timeoutMs, killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode, signal }));
    child.stdin.end(req.stdin);
  });
}
