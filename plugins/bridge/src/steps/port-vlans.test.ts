import type { Link } from '@cni-ts/netlink';
import { describe, expect, test } from 'vitest';
import { fakeHandle } from '../testing/fake-handle.ts';
import { portVlanEntries, programPortVlans } from './port-vlans.ts';

const port = { index: 3, name: 'veth0' } as Link;

describe('portVlanEntries', () => {
  test.each([
    [{ vlan: 0, trunk: [] }, []],
    [{ vlan: 100, trunk: [] }, [{ vid: 100, pvid: true, untagged: true }]],
    [{ vlan: 0, trunk: [5, 6] }, [{ vid: 5, pvid: false, untagged: false }, { vid: 6, pvid: false, untagged: false }, { vid: 1, pvid: true, untagged: true }]],
    [{ vlan: 7, trunk: [5] }, [{ vid: 7, pvid: true, untagged: true }, { vid: 5, pvid: false, untagged: false }]],
    [{ vlan: 0, trunk: [1, 2] }, [{ vid: 1, pvid: false, untagged: false }, { vid: 2, pvid: false, untagged: false }]],
  ])('%j', (v, expected) => {
    expect(portVlanEntries({ ...v, preserveDefaultVlan: false })).toEqual(expected);
  });
});

describe('programPortVlans (requests against a fake handle)', () => {
  test('access vlan: the default VLAN 1 is removed first, then the PVID is set', async () => {
    const f = fakeHandle({ links: [port], vlans: [{ index: 3, vid: 1, pvid: true, untagged: true }] });
    await programPortVlans(f.handle, port, { vlan: 100, trunk: [], preserveDefaultVlan: false });
    expect(f.calls).toEqual(['vlan del veth0 vid 1', 'vlan add veth0 vid 100 pvid untagged']);
  });

  test('preserveDefaultVlan keeps the existing entries', async () => {
    const f = fakeHandle({ links: [port], vlans: [{ index: 3, vid: 1, pvid: true, untagged: true }] });
    await programPortVlans(f.handle, port, { vlan: 100, trunk: [], preserveDefaultVlan: true });
    expect(f.calls).toEqual(['vlan add veth0 vid 100 pvid untagged']);
  });

  test('trunk: tagged VLANs plus VLAN 1 as the native VLAN', async () => {
    const f = fakeHandle({ links: [port], vlans: [{ index: 3, vid: 1, pvid: true, untagged: true }] });
    await programPortVlans(f.handle, port, { vlan: 0, trunk: [10, 11], preserveDefaultVlan: false });
    expect(f.calls).toEqual(['vlan del veth0 vid 1', 'vlan add veth0 vid 10', 'vlan add veth0 vid 11', 'vlan add veth0 vid 1 pvid untagged']);
  });

  test('no vlan, no trunk: nothing is sent', async () => {
    const f = fakeHandle({ links: [port] });
    await programPortVlans(f.handle, port, { vlan: 0, trunk: [], preserveDefaultVlan: false });
    expect(f.calls).toEqual([]);
  });

  test('a kernel refusal is reported with the port name', async () => {
    const f = fakeHandle({ links: [port] });
    f.handle.bridgeVlan.add = async () => {
      throw new Error('RTM_SETLINK (vlan 100 on ifindex 3) failed: EOPNOTSUPP: Operation not supported');
    };
    await expect(programPortVlans(f.handle, port, { vlan: 100, trunk: [], preserveDefaultVlan: false })).rejects.toThrow(
      'failed to setup vlan tag on interface "veth0": RTM_SETLINK (vlan 100 on ifindex 3) failed: EOPNOTSUPP',
    );
  });
});
