// Per-namespace sysctls under /proc/sys/net. Sync fs calls made while the main thread is inside a namespace see
// that namespace's /proc/sys/net (netlink-transport.md, section 1), so each access is a short setns window.
// Only net/ keys are accepted: the rest of /proc/sys is not per-namespace and would change the host.
import { readFileSync, writeFileSync } from 'node:fs';
import type { OpContext } from './context.ts';

/**
 * Normalises a sysctl name to a path under /proc/sys. Names in dotted form (`net.ipv4.ip_forward`) have dots and
 * slashes swapped, so an interface name with a dot can be written with a slash (`net.ipv4.conf.eth0/100.rp_filter`);
 * names whose first separator is a slash are taken as they are. This matches the reference's sysctl helper.
 */
export function sysctlPath(name: string): string {
  const dot = name.indexOf('.');
  const slash = name.indexOf('/');
  const normal = dot < 0 || (slash >= 0 && slash < dot) ? name : name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
  const rel = normal.replace(/^\/?(proc\/sys\/)?/, '');
  const parts = rel.split('/');
  if (parts[0] !== 'net' || parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new TypeError(`sysctl: "${name}" is not a per-namespace key under net/`);
  }
  return `/proc/sys/${rel}`;
}

export class SysctlOps {
  readonly #ctx: OpContext;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
  }

  /** Equivalent to: `ip netns exec NS sysctl -n NAME`. Returns the value without its trailing newline. */
  async get(name: string): Promise<string> {
    const path = sysctlPath(name);
    return this.#ctx.inNetns(() => readFileSync(path, 'utf8')).replace(/\n$/, '');
  }

  /** Equivalent to: `ip netns exec NS sysctl -w NAME=VALUE`. */
  async set(name: string, value: string | number): Promise<void> {
    const path = sysctlPath(name);
    this.#ctx.inNetns(() => writeFileSync(path, String(value)));
  }
}
