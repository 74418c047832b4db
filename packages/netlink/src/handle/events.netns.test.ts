// Event subscription: waiting for a state instead of sleeping.
import ipaddr from 'ipaddr.js';
import { afterEach, describe, expect, test } from 'vitest';
import { ip, tempNetns, type TempNetns } from '../testing/index.ts';
import { openHandle } from './handle.ts';

const namespaces: TempNetns[] = [];
afterEach(() => {
  for (const ns of namespaces.splice(0)) ns.remove();
});
async function netns(): Promise<TempNetns> {
  const ns = await tempNetns('nle');
  namespaces.push(ns);
  return ns;
}

describe('events', () => {
  test('link and address events from the handle\'s namespace only', async () => {
    const [a, b] = [await netns(), await netns()];
    await using h = await openHandle({ netns: a.path });
    using events = h.subscribe(['link', 'ipv4-address']);
    ip(['-n', b.name, 'link', 'add', 'elsewhere', 'type', 'bridge']); // another namespace: not seen
    const br = await h.link.add({ kind: 'bridge', name: 'br0' });
    const created = await events.waitFor((e) => e.type === 'link' && e.action === 'new', { timeoutMs: 2000 });
    expect(created).toMatchObject({ type: 'link', action: 'new', link: { name: 'br0', index: br.index, kind: 'bridge' } });
    await h.address.add({ index: br.index, address: ipaddr.parse('10.9.0.1'), prefixLen: 24 });
    const addr = await events.waitFor((e) => e.type === 'address', { timeoutMs: 2000 });
    expect(addr.type === 'address' && addr.address.address.toString()).toBe('10.9.0.1');
    await h.link.delete({ index: br.index });
    const gone = await events.waitFor((e) => e.type === 'link' && e.action === 'del', { timeoutMs: 2000 });
    expect(gone).toMatchObject({ link: { name: 'br0' } });
    expect(await events.next({ timeoutMs: 50 })).toBeUndefined();
    await expect(events.waitFor(() => true, { timeoutMs: 30, what: 'nothing' })).rejects.toThrow('timed out after 30 ms waiting for nothing');
  });

  test('waitOperUp resolves when the state is reached, in step with the change that causes it', async () => {
    const [a, b] = [await netns(), await netns()];
    await using ha = await openHandle({ netns: a.path });
    await using hb = await openHandle({ netns: b.path });
    await ha.link.add({ kind: 'veth', name: 'v0', up: true, peer: { name: 'v1', netns: hb } });
    expect((await ha.link.get({ name: 'v0' })).operState).not.toBe('up'); // the peer is down: no carrier
    const waiting = ha.link.waitOperUp({ name: 'v0' }, { timeoutMs: 5000 });
    setTimeout(() => void hb.link.setUp({ name: 'v1' }), 20);
    expect((await waiting).operState).toBe('up');
    await expect(ha.link.waitFor({ name: 'v0' }, (l) => l.mtu === 9000, { timeoutMs: 100, what: 'jumbo frames' })).rejects.toMatchObject({
      name: 'WaitTimeoutError',
      timeoutMs: 100,
      message: 'timed out after 100 ms waiting for jumbo frames',
    });
  });

  test('a receive-queue overflow is reported as an overrun event, so waiters re-read state', async () => {
    const a = await netns();
    await using h = await openHandle({ netns: a.path });
    using events = h.subscribe(['link'], { receiveBufferBytes: 1 }); // the kernel rounds up to its minimum
    const br = await h.link.add({ kind: 'bridge', name: 'br0' });
    for (let i = 0; i < 40; i++) await h.link.set({ index: br.index }, { mtu: 1000 + i });
    const seen = [];
    for (let ev = await events.next({ timeoutMs: 100 }); ev; ev = await events.next({ timeoutMs: 100 })) seen.push(ev.type);
    expect(seen).toContain('overrun');
    expect(seen.filter((t) => t === 'link').length).toBeLessThan(41);
  });

  test('closing the handle closes its event streams, and a pending wait fails instead of hanging', async () => {
    const a = await netns();
    const h = await openHandle({ netns: a.path });
    const events = h.subscribe(['link']);
    const pending = events.next({ timeoutMs: 10_000 });
    h.close();
    await expect(pending).rejects.toThrow('netlink: event stream is closed');
    await expect(events.next({ timeoutMs: 10 })).rejects.toThrow('netlink: event stream is closed');
  });
});
