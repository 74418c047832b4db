// validate with the real plugin schemas: a typical conflist passes, and a broken one gets every problem of every
// cni-ts plugin in it, each at its path in the file.
import { describe, expect, it } from 'vitest';
import { pluginSchemas } from './plugin-schemas.ts';
import { validateConfig } from './validate.ts';

describe('validate with the cni-ts plugin schemas', () => {
  it('knows the four plugins', () => {
    expect([...pluginSchemas().keys()].sort()).toEqual(['bridge', 'dnsmasq-ipam', 'host-local', 'static']);
  });

  it('accepts a bridge + host-local + portmap conflist', () => {
    const list = {
      cniVersion: '1.0.0',
      name: 'mynet',
      plugins: [
        {
          type: 'bridge', bridge: 'cni0', isGateway: true, ipMasq: true,
          ipam: { type: 'host-local', ranges: [[{ subnet: '10.22.0.0/16' }]], routes: [{ dst: '0.0.0.0/0' }] },
        },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    };
    expect(validateConfig(list, pluginSchemas())).toEqual({ problems: [], checked: ['bridge', 'host-local'], unchecked: ['portmap'] });
  });

  it('reports the problems of the main plugin and of its IPAM plugin, for every entry', () => {
    const list = {
      cniVersion: '1.0.0',
      name: 'mynet',
      plugins: [
        {
          type: 'bridge', bridge: 'a-very-long-bridge-name', mtu: '1500', vlan: 5000,
          ipam: { type: 'host-local', ranges: [[{ subnet: '10.22.0.0/33' }]], routes: [{ dst: 'nope' }] },
        },
        { type: 'bridge', ipam: { type: 'static', addresses: [{ address: '10.0.0.1' }] } },
      ],
    };
    const paths = validateConfig(list, pluginSchemas()).problems.map((p) => p.path);
    expect(paths).toEqual([
      'plugins[0].bridge',
      'plugins[0].mtu',
      'plugins[0].vlan',
      'plugins[0].ipam.ranges[0][0].subnet',
      'plugins[0].ipam.routes[0].dst',
      'plugins[1].ipam.addresses[0].address',
    ]);
  });
});
