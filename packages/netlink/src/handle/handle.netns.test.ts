// Namespace handles against the real kernel: path checks, several handles at once, disposal, and the threadpool
// rule (no thread may be left in a container namespace).
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, test } from 'vitest';
import { ipJson, tempNetns, uniqueName, type TempNetns } from '../testing/index.ts';
import { isNetnsNotFoundError, isNotNetnsError, NetnsNotFoundError, NotNetnsError } from '../sys/netns-errors.ts';
import { openHandle } from './handle.ts';

const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
async function netns(): Promise<TempNetns> {
  const ns = await tempNetns('nlh');
  namespaces.push(ns);
  return ns;
}
const nsId = (path: string): string => `net:[${statSync(path).ino}]`;

describe('openHandle', () => {
  test('a handle per namespace, several at once, each acting only on its own namespace', async () => {
    const [a, b] = [await netns(), await netns()];
    await using host = await openHandle();
    await using ha = await openHandle({ netns: a.path });
    await using hb = await openHandle({ netns: b.path });
    await ha.link.add({ kind: 'bridge', name: 'only-in-a' });
    expect((await ha.link.list()).map((l) => l.name).sort()).toEqual(['lo', 'only-in-a']);
    expect((await hb.link.list()).map((l) => l.name)).toEqual(['lo']);
    expect(await host.link.find({ name: 'only-in-a' })).toBeUndefined();
    expect(ipJson<Array<{ ifname: string }>>(['-n', a.name, 'link', 'show', 'only-in-a'])[0]?.ifname).toBe('only-in-a');
    expect(ha.netns).toBe(a.path);
    expect(host.netns).toBeUndefined();
  });

  test('accepts /proc/PID/ns/net paths', async () => {
    await using h = await openHandle({ netns: `/proc/${process.pid}/ns/net` });
    expect((await h.link.get({ index: 1 })).name).toBe('lo');
  });

  test('a missing path and a path that is not a network namespace are distinct typed errors', async () => {
    const missing = `/var/run/netns/${uniqueName('gone')}`;
    await expect(openHandle({ netns: missing })).rejects.toBeInstanceOf(NetnsNotFoundError);
    await expect(openHandle({ netns: missing })).rejects.toSatisfy(isNetnsNotFoundError);
    await expect(openHandle({ netns: '/etc/hostname' })).rejects.toBeInstanceOf(NotNetnsError);
    await expect(openHandle({ netns: '/proc/self/ns/uts' })).rejects.toSatisfy(isNotNetnsError);
    await expect(openHandle({ netns: '/proc/self/ns/uts' })).rejects.toThrow('"/proc/self/ns/uts" is not a network namespace: namespace type 0x4000000');
  });

  test('dispose closes the socket and the namespace fd; a closed handle refuses operations', async () => {
    const a = await netns();
    const before = readdirSync('/proc/self/fd').length;
    const h = await openHandle({ netns: a.path });
    expect(readdirSync('/proc/self/fd').length).toBe(before + 2);
    {
      await using _scoped = h;
    }
    expect(readdirSync('/proc/self/fd').length).toBe(before);
    await expect(h.link.list()).rejects.toThrow('netlink: the handle is closed');
    h.close(); // idempotent
  });

  test('no thread is left in the container namespace: the threadpool was warm before the first switch', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    await h.sysctl.set('net.ipv4.ip_default_ttl', 33); // a namespace window (sync write inside the namespace)
    h.subscribe(['link']).close(); // another window
    const host = readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8');
    expect(host).not.toBe('33\n');
    // An async read runs on a libuv pool thread: it must see the host namespace, not the container's.
    expect(await readFile('/proc/sys/net/ipv4/ip_default_ttl', 'utf8')).toBe(host);
    const mine = readlinkSync('/proc/thread-self/ns/net');
    const threads = readdirSync('/proc/self/task').map((t) => readlinkSync(`/proc/self/task/${t}/ns/net`));
    expect(threads.length).toBeGreaterThan(1);
    expect(new Set(threads)).toEqual(new Set([mine]));
    expect(threads).not.toContain(nsId(a.path));
  });
});
