// Many ADDs at once, as real processes started together, on one pool: the lock and the create-if-absent
// reservation must give every success its own address, turn the overflow into the pool-exhausted error, and leave
// exactly the successes on disk.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin, type BuiltPlugin, execPlugin, type PluginOutput } from '@cni-ts/ipam-core/testing';

let ours: BuiltPlugin;
let root: string;

beforeAll(async () => {
  ours = await buildPlugin('host-local');
  root = mkdtempSync(join(tmpdir(), 'host-local-concurrency-'));
}, 60_000);
afterAll(() => {
  ours?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Outcome {
  readonly id: string;
  readonly out: PluginOutput;
}

/** Starts `n` ADD processes at once (no pacing) and waits for all of them. */
async function parallelAdds(n: number, subnet: string, onDir?: (dir: string) => void): Promise<{ outcomes: Outcome[]; dir: string }> {
  const dataDir = mkdtempSync(join(root, 'data-'));
  onDir?.(join(dataDir, 'net'));
  // the lock is held for a few ms per ADD, but hundreds of node processes on two cores queue for seconds
  const conf = { cniVersion: '1.0.0', name: 'net', ipam: { type: 'host-local', dataDir, subnet, lockTimeoutMs: 120_000 } };
  const outcomes = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const id = `ctr-${i}`;
      return { id, out: await execPlugin(ours.path, { command: 'ADD', conf, containerId: id }) };
    }),
  );
  return { outcomes, dir: join(dataDir, 'net') };
}

/**
 * Reads every reservation record over and over while ADDs run (from the test process, between its own awaits): a
 * record must never be seen empty or without its "\r\n<ifname>" part, since it appears by link() when complete.
 */
function watchRecords() {
  let dir: string | undefined;
  let stopped = false;
  const seen = { reads: 0, partial: [] as string[] };
  const loop = (async () => {
    while (!stopped) {
      if (dir) {
        let names: string[] = [];
        try {
          names = readdirSync(dir);
        } catch {
          // not created yet
        }
        for (const name of names) {
          if (name === 'lock' || name.startsWith('last_reserved_ip.') || name.startsWith('.')) continue;
          let content: string;
          try {
            content = readFileSync(join(dir, name), 'utf8');
          } catch {
            continue;
          }
          seen.reads++;
          if (!/^ctr-\d+\r\neth0$/.test(content)) seen.partial.push(`${name}: ${JSON.stringify(content)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  return {
    setDir: (d: string) => {
      dir = d;
    },
    stop: async () => {
      stopped = true;
      await loop;
      return seen;
    },
  };
}

const addressOf = (o: Outcome) => (o.out.json as { ips: { address: string }[] }).ips[0]!.address.split('/')[0] as string;

/** ip → owner id, from the reservation files. */
function onDisk(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name === 'lock' || name.startsWith('last_reserved_ip.')) continue;
    const [id, ifName] = readFileSync(join(dir, name), 'utf8').split('\r\n');
    expect(ifName).toBe('eth0');
    out[name] = id as string;
  }
  return out;
}

describe('parallel ADDs', () => {
  it('64 at once on a /24: 64 distinct addresses, all on disk with their owner, never a partial record', async () => {
    const watch = watchRecords();
    const { outcomes, dir } = await parallelAdds(64, '10.10.0.0/24', watch.setDir);
    const seen = await watch.stop();
    expect(seen.reads).toBeGreaterThan(0); // the observer really read records while the ADDs ran
    expect(seen.partial).toEqual([]);
    const failed = outcomes.filter((o) => o.out.exitCode !== 0).map((o) => o.out.stdout);
    expect(failed).toEqual([]);
    const addresses = outcomes.map(addressOf);
    expect(new Set(addresses).size).toBe(64);
    expect(onDisk(dir)).toEqual(Object.fromEntries(outcomes.map((o) => [addressOf(o), o.id])));
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]); // no temporary files left
  }, 120_000);

  it('300 at once on a /24: exactly the 253 usable addresses (.2-.254) succeed, the rest get pool exhausted', async () => {
    const { outcomes, dir } = await parallelAdds(300, '10.11.0.0/24');
    const ok = outcomes.filter((o) => o.out.exitCode === 0);
    const failed = outcomes.filter((o) => o.out.exitCode !== 0);
    expect(ok).toHaveLength(253); // 256 - network - broadcast - gateway (.1)
    expect(failed).toHaveLength(47);
    for (const f of failed) {
      expect(f.out.json).toEqual({ code: 100, msg: 'failed to allocate for range 0 (ipam): no IP addresses available in range set: 10.11.0.1-10.11.0.254' });
    }
    const expected = Array.from({ length: 253 }, (_, i) => `10.11.0.${i + 2}`).sort();
    expect(ok.map(addressOf).sort()).toEqual(expected);
    expect(onDisk(dir)).toEqual(Object.fromEntries(ok.map((o) => [addressOf(o), o.id])));
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 180_000);
});
