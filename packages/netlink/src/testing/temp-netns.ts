// Throwaway network namespaces for kernel tests (`*.netns.test.ts`) in every package. Fixtures may use
// iproute2; product code never does. Names are unique per process and call, so tests can run in parallel.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface TempNetns extends AsyncDisposable {
  /** The name under /var/run/netns, usable with `ip -n <name>` and `ip netns exec <name>`. */
  readonly name: string;
  /** `/var/run/netns/<name>`: what a runtime passes as CNI_NETNS. */
  readonly path: string;
  /** Deletes the namespace (also done on dispose); idempotent. */
  remove(): void;
}

/** Runs iproute2 (`ip`) with the given arguments and returns its stdout; throws with stderr on failure. */
export function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip -j ...` parsed: an independent view of kernel state for assertions. */
export function ipJson<T = unknown>(args: readonly string[]): T {
  const out = ip(['-j', ...args]).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** A unique name: `<prefix>-<pid base36>-<8 hex>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * Creates a namespace with `ip netns add` and brings its loopback up (as a runtime would).
 * Use as `await using ns = await tempNetns('br')`; it is deleted when the scope ends, even on failure.
 */
export async function tempNetns(prefix = 'nlt'): Promise<TempNetns> {
  const name = uniqueName(prefix);
  ip(['netns', 'add', name]);
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    ip(['netns', 'del', name]);
  };
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (err) {
    remove();
    throw err;
  }
  return {
    name,
    path: `/var/run/netns/${name}`,
    remove,
    [Symbol.asyncDispose]: async () => remove(),
  };
}
