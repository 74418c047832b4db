import type { Link } from '@cni-ts/netlink';
import { createLogger } from '@cni-ts/skel';
import { describe, expect, test } from 'vitest';
import { fakeHandle } from '../testing/fake-handle.ts';
import { createVeth } from './create-veth.ts';

const log = createLogger({ name: 'test', level: 'silent', write: () => {} });

describe('createVeth (requests against fake handles)', () => {
  test('the spec: container name, MTU and MAC on the container end; random host name, MTU and netns on the peer', async () => {
    const host = fakeHandle();
    const container = fakeHandle();
    const specs: unknown[] = [];
    container.handle.link.add = (async (spec: { name: string; peer: { name: string } }) => {
      specs.push(spec);
      host.links.set(spec.peer.name, { index: 99, name: spec.peer.name, kind: 'veth' } as Link);
      return { index: 2, name: spec.name, kind: 'veth' } as Link;
    }) as never;
    const pair = await createVeth(host.handle, container.handle, { ifName: 'eth0', mtu: 1400, mac: '0a:00:00:00:00:05', log });
    expect(host.calls).toEqual([`link up ${pair.host.name}`, `sysctl net/ipv6/conf/${pair.host.name}/accept_ra=0`]);
    expect(specs).toEqual([
      { kind: 'veth', name: 'eth0', mtu: 1400, mac: '0a:00:00:00:00:05', peer: { name: expect.stringMatching(/^veth[0-9a-f]{8}$/), mtu: 1400, netns: host.handle } },
    ]);
  });

  test('a taken host-side name is retried with a new random name', async () => {
    const host = fakeHandle();
    const container = fakeHandle();
    const tried: string[] = [];
    const { NetlinkError } = await import('@cni-ts/netlink');
    container.handle.link.add = (async (spec: { name: string; peer: { name: string } }) => {
      tried.push(spec.peer.name);
      if (tried.length < 3) throw new NetlinkError({ errno: 17, op: 'RTM_NEWLINK' });
      host.links.set(spec.peer.name, { index: 99, name: spec.peer.name, kind: 'veth' } as Link);
      return { index: 2, name: spec.name, kind: 'veth' } as Link;
    }) as never;
    const pair = await createVeth(host.handle, container.handle, { ifName: 'eth0', mtu: 0, mac: undefined, log });
    expect(new Set(tried).size).toBe(3);
    expect(pair.host.name).toBe(tried[2]);
  });

  test('an existing container interface fails with the reference message, before anything is created', async () => {
    const host = fakeHandle();
    const container = fakeHandle({ links: [{ name: 'eth0', kind: 'veth' }] });
    await expect(createVeth(host.handle, container.handle, { ifName: 'eth0', mtu: 0, mac: undefined, log })).rejects.toThrow(
      'container veth name provided (eth0) already exists',
    );
    expect(container.calls).toEqual([]);
  });
});
