// Interop with the reference host-local on ONE shared data directory, in both directions: what one allocates the
// other sees, releases and never hands out twice; both honour the same lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildPlugin, type BuiltPlugin, execPlugin, mapLimit } from '@cni-ts/ipam-core/testing';
import { DiskStore } from '../src/disk-store.ts';

const REFERENCE = '/usr/lib/cni/host-local';
let ours: BuiltPlugin;
let root: string;
let dataDir: string;

beforeAll(async () => {
  expect(existsSync(REFERENCE), `${REFERENCE} (Debian containernetworking-plugins) is required`).toBe(true);
  ours = await buildPlugin('host-local');
  root = mkdtempSync(join(tmpdir(), 'host-local-interop-'));
}, 60_000);
afterAll(() => {
  ours?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  dataDir = mkdtempSync(join(root, 'data-'));
});

type Impl = 'ours' | 'reference';
const binOf = (impl: Impl) => (impl === 'ours' ? ours.path : REFERENCE);
const netDir = () => join(dataDir, 'net');

function conf(ipam: Record<string, unknown> = {}) {
  return { cniVersion: '1.0.0', name: 'net', ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.1.0.0/27' }], [{ subnet: 'fd00::/123' }]], ...ipam } };
}

async function add(impl: Impl, id: string, c: object = conf()): Promise<string[]> {
  const out = await execPlugin(binOf(impl), { command: 'ADD', conf: c, containerId: id });
  expect(out.exitCode, `${impl} ADD ${id}: ${out.stdout}`).toBe(0);
  return (out.json as { ips: { address: string }[] }).ips.map((i) => i.address.split('/')[0] as string);
}

async function del(impl: Impl, id: string, c: object = conf()): Promise<void> {
  const out = await execPlugin(binOf(impl), { command: 'DEL', conf: c, containerId: id });
  expect(out.exitCode, `${impl} DEL ${id}: ${out.stdout}`).toBe(0);
}

/** ip → "<id>/<ifname>" for every reservation file. */
function reservations(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(netDir()).sort()) {
    if (name === 'lock' || name.startsWith('last_reserved_ip.')) continue;
    out[name] = readFileSync(join(netDir(), name), 'utf8').replace('\r\n', '/');
  }
  return out;
}

describe.each([
  ['reference', 'ours'],
  ['ours', 'reference'],
] as const)('allocated by %s, then used by %s', (first, second) => {
  it('continues round-robin, releases the other side’s reservations and never duplicates an address', async () => {
    const a = await add(first, 'a');
    const b = await add(first, 'b');
    const c = await add(second, 'c'); // continues after b (last_reserved_ip is shared)
    expect([a, b, c]).toEqual([['10.1.0.2', 'fd00::2'], ['10.1.0.3', 'fd00::3'], ['10.1.0.4', 'fd00::4']]);
    await del(second, 'a'); // releases what the other implementation reserved
    await del(second, 'a'); // repeatable
    const d = await add(first, 'd'); // does not reuse a's address yet (round-robin) nor c's
    expect(d).toEqual(['10.1.0.5', 'fd00::5']);
    await del(first, 'c'); // and the other way round
    expect(reservations()).toEqual({ '10.1.0.3': 'b/eth0', '10.1.0.5': 'd/eth0', 'fd00::3': 'b/eth0', 'fd00::5': 'd/eth0' });
    // a duplicate ADD is refused whoever made the first one
    const dup = await execPlugin(binOf(second), { command: 'ADD', conf: conf(), containerId: 'b' });
    expect(dup.exitCode).toBe(1);
    expect((dup.json as { msg: string }).msg).toContain('duplicate allocation is not allowed');
    // CHECK by either side finds the other's reservation
    for (const impl of ['ours', 'reference'] as const) {
      expect((await execPlugin(binOf(impl), { command: 'CHECK', conf: conf(), containerId: 'd' })).exitCode).toBe(0);
    }
  });

  it('a requested address held by the other side is refused', async () => {
    await add(first, 'a', { ...conf(), args: { cni: { ips: ['10.1.0.20'] } } });
    const out = await execPlugin(binOf(second), { command: 'ADD', conf: { ...conf(), args: { cni: { ips: ['10.1.0.20'] } } }, containerId: 'b' });
    expect(out.exitCode).toBe(1);
    expect((out.json as { msg: string }).msg).toContain('requested IP address 10.1.0.20 is not available');
    expect(Object.keys(reservations()).filter((ip) => ip.startsWith('10.'))).toEqual(['10.1.0.20']);
  });
});

describe('mixed, in parallel, on one pool', () => {
  it('a random interleaving of both implementations keeps one address per live container', async () => {
    // a /27 with the gateway .1: 29 usable v4 addresses; the v6 /123 has 30
    const live = new Map<string, string[]>();
    let n = 0;
    const ops: Array<() => Promise<void>> = [];
    for (let round = 0; round < 3; round++) {
      ops.length = 0;
      for (let i = 0; i < 10; i++) {
        const impl: Impl = (n + i) % 2 === 0 ? 'ours' : 'reference';
        const id = `c${n++}`;
        ops.push(async () => {
          live.set(id, await add(impl, id));
        });
      }
      // DEL a third of the live containers, by the other implementation, in the same wave
      for (const [id] of [...live].filter((_, i) => i % 3 === 0)) {
        live.delete(id);
        ops.push(() => del(n % 2 === 0 ? 'reference' : 'ours', id));
      }
      await mapLimit(ops, 8, (op) => op());
    }
    const expected: Record<string, string> = {};
    for (const [id, ips] of live) for (const ip of ips) expected[ip] = `${id}/eth0`;
    expect(reservations()).toEqual(expected);
    const all = [...live.values()].flat();
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('one lock for both', () => {
  it('our ADD waits for a holder of the lock and gives up with code 11 after ipam.lockTimeoutMs', async () => {
    await add('reference', 'a'); // creates the directory and the lock file
    // its own process group, so the kill reaches the sleep that inherits the locked descriptor
    const holder = spawn('flock', ['--exclusive', join(netDir(), 'lock'), 'sh', '-c', 'echo locked; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    try {
      await new Promise((resolve) => holder.stdout!.once('data', resolve)); // the holder has the lock now
      const started = Date.now();
      const out = await execPlugin(ours.path, { command: 'ADD', conf: conf({ lockTimeoutMs: 500 }), containerId: 'b' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(out.json).toMatchObject({ code: 11, msg: expect.stringContaining('waiting for the lock') });
      expect(Object.keys(reservations())).toEqual(['10.1.0.2', 'fd00::2']);
    } finally {
      process.kill(-holder.pid!, 'SIGKILL');
    }
  });

  it('the reference waits while we hold the lock', async () => {
    await add('ours', 'a');
    const store = new DiskStore({ dir: netDir(), lockTimeoutMs: 1000 });
    let finishedAt = 0;
    let releasedAt = 0;
    let refAdd: Promise<unknown> | undefined;
    await store.exclusive(async () => {
      refAdd = execPlugin(REFERENCE, { command: 'ADD', conf: conf(), containerId: 'b' }).then((o) => {
        finishedAt = Date.now();
        return o;
      });
      await new Promise((r) => setTimeout(r, 700));
      releasedAt = Date.now();
    });
    const out = (await refAdd) as { exitCode: number };
    expect(out.exitCode).toBe(0);
    expect(finishedAt).toBeGreaterThanOrEqual(releasedAt);
  });
});
