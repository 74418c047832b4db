import { closeSync, mkdtempSync, openSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ip, tempNetns, uniqueName, type TempNetns } from '../testing/index.ts';
import {
  LOCK,
  NetnsNotFoundError,
  NotNetnsError,
  UdpSocket,
  flock,
  isNetnsNotFoundError,
  isNotNetnsError,
  isSysError,
  openNetns,
  flockWithDeadline,
  tryFlock,
  warmThreadpool,
  withNetns,
  CURRENT_NETNS_PATH,
} from './index.ts';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function netns(prefix: string): Promise<TempNetns> {
  const ns = await tempNetns(prefix);
  cleanups.push(() => ns.remove());
  return ns;
}
const inode = (path: string): string => `net:[${statSync(path).ino}]`;

describe('withNetns', () => {
  // Must run first in this file: the threadpool flag is per process (vitest forks one per file).
  test('refuses to run before the threadpool is warm', async () => {
    const ns = await netns('sysw');
    expect(() => withNetns(ns.path, () => 1)).toThrow(/threadpool is not warm/);
    await warmThreadpool();
    expect(withNetns(ns.path, () => 2)).toBe(2);
  });

  test('runs fn inside the namespace and switches back', async () => {
    await warmThreadpool();
    const ns = await netns('sysw');
    const before = readlinkSync(CURRENT_NETNS_PATH);
    const inside = withNetns(ns.path, () => readlinkSync(CURRENT_NETNS_PATH));
    expect(inside).toBe(inode(ns.path));
    expect(inside).not.toBe(before);
    expect(readlinkSync(CURRENT_NETNS_PATH)).toBe(before);
  });

  test('switches back when fn throws, and rejects an async fn', async () => {
    await warmThreadpool();
    const ns = await netns('sysw');
    const before = readlinkSync(CURRENT_NETNS_PATH);
    expect(() => withNetns(ns.path, () => { throw new Error('boom'); })).toThrow('boom');
    expect(readlinkSync(CURRENT_NETNS_PATH)).toBe(before);
    expect(() => withNetns(ns.path, async () => 1)).toThrow(/must be synchronous/);
    expect(readlinkSync(CURRENT_NETNS_PATH)).toBe(before);
  });

  test('accepts an fd from openNetns', async () => {
    await warmThreadpool();
    const ns = await netns('sysw');
    const fd = openNetns(ns.path);
    try {
      expect(withNetns(fd, () => readlinkSync(CURRENT_NETNS_PATH))).toBe(inode(ns.path));
    } finally {
      closeSync(fd);
    }
  });
});

describe('openNetns', () => {
  test('a missing path is NetnsNotFoundError', () => {
    const path = `/var/run/netns/${uniqueName('missing')}`;
    const err = (() => { try { openNetns(path); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(NetnsNotFoundError);
    expect(isNetnsNotFoundError(err)).toBe(true);
    expect(isNotNetnsError(err)).toBe(false);
    expect((err as Error).message).toBe(`network namespace "${path}" does not exist`);
  });

  test('a regular file is NotNetnsError (filesystem magic)', () => {
    expect(() => openNetns('/etc/hostname')).toThrow(NotNetnsError);
    expect(() => openNetns('/etc/hostname')).toThrow(/unknown filesystem magic 0x/);
  });

  test('a namespace of another kind is NotNetnsError', () => {
    const err = (() => { try { openNetns('/proc/self/ns/mnt'); } catch (e) { return e; } })();
    expect(isNotNetnsError(err)).toBe(true);
    expect((err as Error).message).toMatch(/namespace type 0x20000/);
  });

  test('/proc/PID/ns/net is accepted', () => {
    const fd = openNetns(`/proc/${process.pid}/ns/net`);
    closeSync(fd);
  });
});

describe('UdpSocket', () => {
  test('broadcast DHCP-style exchange between two namespaces, bound to devices', async () => {
    await warmThreadpool();
    const client = await netns('sysu');
    const server = await netns('sysu');
    ip(['-n', client.name, 'link', 'add', 'veth-c', 'type', 'veth', 'peer', 'name', 'veth-s', 'netns', server.name]);
    ip(['-n', client.name, 'link', 'set', 'veth-c', 'up']);
    ip(['-n', server.name, 'link', 'set', 'veth-s', 'up']);
    ip(['-n', server.name, 'addr', 'add', '10.99.0.1/24', 'dev', 'veth-s']);

    // The client namespace has no address and no route: only a device-bound broadcast socket can send.
    using c = UdpSocket.open({ netns: client.path, device: 'veth-c', broadcast: true, reuseAddr: true, bind: { port: 68 } });
    using s = UdpSocket.open({ netns: server.path, device: 'veth-s', broadcast: true, bind: { port: 67 } });
    expect(c.sendTo(new TextEncoder().encode('discover'), '255.255.255.255', 67)).toBe(8);
    const got = await s.receive({ timeoutMs: 5000 });
    expect(got && new TextDecoder().decode(got.data)).toBe('discover');
    expect(got?.address).toBe('0.0.0.0');
    expect(got?.port).toBe(68);

    s.sendTo(new TextEncoder().encode('offer'), '255.255.255.255', 68);
    const reply = await c.receive({ timeoutMs: 5000 });
    expect(reply && new TextDecoder().decode(reply.data)).toBe('offer');
    expect(reply?.address).toBe('10.99.0.1');
  });

  test('receive times out with undefined; a bad device fails with ENODEV and leaks no fd', async () => {
    await warmThreadpool();
    const ns = await netns('sysu');
    using sock = UdpSocket.open({ netns: ns.path, bind: { address: '127.0.0.1', port: 0 } });
    const t0 = Date.now();
    expect(await sock.receive({ timeoutMs: 50 })).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    const err = (() => { try { UdpSocket.open({ netns: ns.path, device: 'nope0' }); } catch (e) { return e; } })();
    expect(isSysError(err, 'ENODEV')).toBe(true);
  });
});

describe('flock', () => {
  test('an exclusive lock excludes a second descriptor until unlocked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nl-flock-'));
    const a = openSync(join(dir, 'lock'), 'a+');
    const b = openSync(join(dir, 'lock'), 'a+');
    try {
      flock(a, LOCK.EX);
      expect(tryFlock(b, LOCK.EX)).toBe(false);
      expect(tryFlock(b, LOCK.SH)).toBe(false);
      flock(a, LOCK.UN);
      expect(tryFlock(b, LOCK.SH)).toBe(true);
      expect(tryFlock(a, LOCK.SH)).toBe(true); // shared locks coexist
      expect(tryFlock(a, LOCK.EX)).toBe(false); // b still holds SH
    } finally {
      closeSync(a);
      closeSync(b);
      rmSync(dir, { recursive: true });
    }
  });
  test('flockWithDeadline gives up at its deadline, and takes the lock once the holder lets go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nl-flock-'));
    const a = openSync(join(dir, 'lock'), 'a+');
    const b = openSync(join(dir, 'lock'), 'a+');
    try {
      flock(a, LOCK.EX);
      expect(await flockWithDeadline(b, LOCK.SH, 30)).toBe(false);
      setTimeout(() => flock(a, LOCK.UN), 20);
      expect(await flockWithDeadline(b, LOCK.EX, 5_000)).toBe(true);
      expect(tryFlock(a, LOCK.SH)).toBe(false); // b holds it now
    } finally {
      closeSync(a);
      closeSync(b);
      rmSync(dir, { recursive: true });
    }
  });
});
