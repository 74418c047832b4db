import type { Link } from '@cni-ts/netlink';
import { createLogger } from '@cni-ts/skel';
import { describe, expect, test } from 'vitest';
import { fakeHandle } from '../testing/fake-handle.ts';
import { ensureVlanGateway } from './vlan-gateway.ts';

const bridge = { index: 2, name: 'cni0', kind: 'bridge', mtu: 1500 } as Link;
const log = createLogger({ name: 'test', level: 'silent', write: () => {} });

describe('ensureVlanGateway (requests against a fake handle)', () => {
  test('creates <bridge>.<vlan> as one end of a veth whose other end is an access port on that vlan', async () => {
    const f = fakeHandle({ links: [bridge] });
    const gw = await ensureVlanGateway(f.handle, { bridge, vlan: 100, preserveDefaultVlan: false }, log);
    expect(gw.name).toBe('cni0.100');
    expect(f.calls.map((c) => c.replace(/veth[0-9a-f]{8}/g, 'vethXXXXXXXX'))).toEqual([
      'link add cni0.100 type veth peer vethXXXXXXXX',
      'link up vethXXXXXXXX',
      'link set vethXXXXXXXX {"masterIndex":2}',
      'port vethXXXXXXXX {"hairpin":false,"isolated":false}',
      'vlan add vethXXXXXXXX vid 100 pvid untagged',
      'link up cni0.100',
    ]);
  });

  test('an existing gateway interface is adopted as it is', async () => {
    const f = fakeHandle({ links: [bridge, { name: 'cni0.100', kind: 'veth' }] });
    const gw = await ensureVlanGateway(f.handle, { bridge, vlan: 100, preserveDefaultVlan: false }, log);
    expect(gw.name).toBe('cni0.100');
    expect(f.calls).toEqual([]);
  });

  test('a half-built gateway (the kernel refuses the vlan) is removed again', async () => {
    const f = fakeHandle({ links: [bridge] });
    f.handle.bridgeVlan.add = async () => {
      throw new Error('EOPNOTSUPP');
    };
    await expect(ensureVlanGateway(f.handle, { bridge, vlan: 100, preserveDefaultVlan: false }, log)).rejects.toThrow(
      'faild to create vlan gateway "cni0.100": failed to setup vlan tag on interface',
    );
    expect(f.calls.at(-1)).toBe('link del cni0.100');
    expect(f.links.has('cni0.100')).toBe(false);
  });
});
