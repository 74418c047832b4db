// The throwaway world a reliability suite runs plugins in: a temp dir (state, CNI_PATH links, a resolv.conf),
// and for kernel plugins a "host" namespace (the plugin runs there: bridge, rules, dnsmasq) plus one container
// namespace. Names carry the e2e run's tag, so the global setup sweeps whatever a crashed run leaves.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns, randomSuffix, runTag } from '../../harness/netns.ts';
import { ourPlugin, ourPluginNames } from '../../harness/paths.ts';
import { workerBundle } from './worker-bundle.ts';
import { execOnce, InProcessWorker, type Invocation, type Outcome } from './targets.ts';

export interface WorldOptions {
  /** create the host and container namespaces (bridge, dnsmasq-ipam) */
  kernel: boolean;
}

export class World implements AsyncDisposable {
  readonly suffix = randomSuffix();
  dir = '';
  host: Netns | undefined;
  container: Netns | undefined;
  #worker: InProcessWorker | undefined;
  #bundle = '';
  readonly #cleanups: Array<() => Promise<void>> = [];

  get dataDir(): string { return join(this.dir, 'host-local'); }
  get runDir(): string { return join(this.dir, 'dnsmasq-ipam'); }
  get binDir(): string { return join(this.dir, 'bin'); }
  get resolvConf(): string { return join(this.dir, 'resolv.conf'); }
  /** a regular file: a CNI_NETNS that exists but is not a namespace */
  get plainFile(): string { return join(this.dir, 'not-a-netns'); }

  static async create(o: WorldOptions): Promise<World> {
    const w = new World();
    try {
      await w.#setUp(o);
      return w;
    } catch (err) {
      await w[Symbol.asyncDispose]();
      throw err;
    }
  }

  async #setUp(o: WorldOptions): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), `cni-ts-e2e-${runTag()}-rel-`));
    this.#cleanups.push(() => rm(this.dir, { recursive: true, force: true }));
    await Promise.all([mkdir(this.dataDir), mkdir(this.runDir), mkdir(this.binDir)]);
    await writeFile(this.resolvConf, 'nameserver 192.0.2.53\nsearch fuzz.test\noptions ndots:2\n');
    await writeFile(this.plainFile, '');
    for (const name of ourPluginNames) await symlink(ourPlugin(name), join(this.binDir, name));
    if (o.kernel) {
      this.host = await Netns.create('rh');
      this.#cleanups.push(() => this.host!.destroy());
      this.container = await this.#newContainer();
    }
    this.#bundle = await workerBundle(runTag());
  }

  async #newContainer(): Promise<Netns> {
    const ns = await Netns.create('rc');
    this.#cleanups.push(() => ns.destroy());
    return ns;
  }

  /** Replaces the container namespace (after a case left something in it, so later cases start clean). */
  async renewContainer(): Promise<void> {
    await this.container?.destroy();
    this.container = await this.#newContainer();
  }

  /** The in-process worker, started on first use (inside the host namespace for kernel worlds). */
  worker(): InProcessWorker {
    if (this.#worker === undefined || !this.#worker.alive) {
      this.#worker = InProcessWorker.start(this.#bundle, this.host?.name);
      const w = this.#worker;
      this.#cleanups.push(() => w[Symbol.asyncDispose]());
    }
    return this.#worker;
  }

  /** Runs one invocation in-process or through the real executable. */
  run(inv: Invocation, via: 'in-process' | 'exec', timeoutMs: number): Promise<Outcome> {
    if (via === 'in-process') return this.worker().invoke(inv, timeoutMs);
    return execOnce(join(this.binDir, inv.plugin), inv, { ...(this.host ? { netns: this.host.name } : {}), timeoutMs });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const errors: unknown[] = [];
    for (const cleanup of this.#cleanups.reverse()) await cleanup().catch((e: unknown) => errors.push(e));
    this.#cleanups.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, 'reliability world cleanup failed');
  }
}
