// The plugin definition in-process, without a kernel: bad input must fail before anything is touched.
import { describe, expect, it } from 'vitest';
import { runWithIo } from '@cni-ts/skel/testing';
import { createPlugin } from './plugin.ts';
import type { Links } from './links.ts';

const untouchable: Links = {
  hostAddresses: () => Promise.reject(new Error('must not be called')),
  addHostAddress: () => Promise.reject(new Error('must not be called')),
  containerMac: () => Promise.reject(new Error('must not be called')),
};
const plugin = createPlugin(untouchable);
const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/none', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' };
const add = (ipam: Record<string, unknown>, top: Record<string, unknown> = { bridge: 'br0' }) =>
  runWithIo(plugin, { env, stdin: { cniVersion: '1.1.0', name: 'n', type: 'bridge', ...top, ipam: { type: 'dnsmasq-ipam', ...ipam } } });

describe('dnsmasq-ipam config errors (code 7, naming the field, nothing touched)', () => {
  it('rejects an IPv6 subnet', async () => {
    expect(await add({ subnet: 'fd00:1::/64' })).toMatchObject({
      code: 1, json: { code: 7, msg: 'invalid config: ipam.subnet: IPv6 is not supported (dnsmasq-ipam serves IPv4 only), got "fd00:1::/64"' },
    });
  });

  it('names a missing subnet, a bad range and a missing interface', async () => {
    expect((await add({})).json).toMatchObject({ code: 7, msg: expect.stringMatching(/^invalid config: ipam\.subnet: /) });
    expect((await add({ subnet: '10.1.0.0/24', rangeStart: '10.1.1.5' })).json).toMatchObject({ code: 7, msg: 'invalid config: ipam.rangeStart: 10.1.1.5 is not a host address in ipam.subnet 10.1.0.0/24' });
    expect((await add({ subnet: '10.1.0.0/24' }, {})).json).toMatchObject({ code: 7, msg: 'invalid config: ipam.interface: required when the network config has no "bridge" (the bridge dnsmasq serves)' });
    expect((await add({ subnet: '10.1.0.0/24', timeoutMs: -1 })).json).toMatchObject({ code: 7, msg: expect.stringMatching(/^invalid config: ipam\.timeoutMs: must be .*1$/) });
  });

  it('rejects a requested address outside the subnet with 104 before any DHCP traffic', async () => {
    const r = await add({ subnet: '10.1.0.0/24' }, { bridge: 'br0', runtimeConfig: { ips: ['10.9.0.1'] } });
    expect(r.json).toEqual({ code: 104, msg: 'requested IP 10.9.0.1 unavailable', details: 'outside ipam.subnet 10.1.0.0/24' });
  });

  it('answers VERSION with every spec version', async () => {
    const r = await runWithIo(plugin, { env: { CNI_COMMAND: 'VERSION' }, stdin: { cniVersion: '1.1.0' } });
    expect(r.json).toEqual({ cniVersion: '1.1.0', supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
  });
});
