// Throwaway network namespaces for one cell: unique names under this run's tag, removed even when the cell fails.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { tool, type ToolOptions, type ToolResult } from './proc.ts';

/** This run's tag (set by the global setup); every namespace and temp dir of the run carries it. */
export function runTag(): string {
  return inject('runTag');
}

export const randomSuffix = (bytes = 3): string => randomBytes(bytes).toString('hex');

export class Netns implements AsyncDisposable {
  private constructor(readonly name: string) {}

  /** `ip netns add <tag>-<role>-<random>`. */
  static async create(role: string): Promise<Netns> {
    const ns = new Netns(`${runTag()}-${role}-${randomSuffix()}`);
    await tool('ip', ['netns', 'add', ns.name]);
    await ns.ip(['link', 'set', 'lo', 'up']);
    return ns;
  }

  get path(): string {
    return `/run/netns/${this.name}`;
  }

  /** Runs a command inside the namespace (`ip netns exec`). */
  exec(cmd: string, args: readonly string[], opts?: ToolOptions): Promise<ToolResult> {
    return tool('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** `ip -n <ns> ...` */
  ip(args: readonly string[], opts?: ToolOptions): Promise<ToolResult> {
    return tool('ip', ['-n', this.name, ...args], opts);
  }

  async ipJson<T>(args: readonly string[]): Promise<T> {
    const { stdout } = await this.ip(['-j', ...args]);
    return JSON.parse(stdout || '[]') as T;
  }

  /** Kills what runs in the namespace (e.g. a dnsmasq a plugin started), then deletes it. Idempotent. */
  async destroy(): Promise<void> {
    await destroyNetns(this.name);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.destroy();
  }
}

export async function destroyNetns(name: string): Promise<void> {
  const { stdout } = await tool('ip', ['netns', 'pids', name], { allowFail: true });
  for (const pid of stdout.split(/\s+/).filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const r = await tool('ip', ['netns', 'del', name], { allowFail: true });
  if (r.code !== 0 && !/No such file/.test(r.stderr)) throw new Error(`ip netns del ${name}: ${r.stderr.trim()}`);
}

/** Every namespace whose name starts with `prefix` (for the end-of-run sweep). */
export async function listNetns(prefix: string): Promise<string[]> {
  const { stdout } = await tool('ip', ['netns', 'list']);
  return stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(prefix));
}
