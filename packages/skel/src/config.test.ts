import { describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { ciObject, PluginConf } from './config.ts';

describe('PluginConf', () => {
  test('cniVersion defaults to 0.1.0 when missing or empty; unknown keys pass through', () => {
    expect(PluginConf.parse({ name: 'n', bridge: 'cni0' })).toEqual({ cniVersion: '0.1.0', name: 'n', bridge: 'cni0' });
    expect(PluginConf.parse({ cniVersion: '', name: 'n' }).cniVersion).toBe('0.1.0');
  });
  test('runtimeConfig, args, capabilities and ipam stay loose', () => {
    const c = PluginConf.parse({
      cniVersion: '1.1.0',
      name: 'n',
      type: 'bridge',
      capabilities: { portMappings: true },
      runtimeConfig: { portMappings: [{ HostPort: 80 }] },
      args: { cni: { ips: ['10.0.0.2'] }, other: 1 },
      ipam: { type: 'host-local', ranges: [] },
      dns: { nameservers: ['10.0.0.1'] },
      ipMasq: true,
    });
    expect(c.runtimeConfig).toEqual({ portMappings: [{ HostPort: 80 }] });
    expect(c.ipam).toEqual({ type: 'host-local', ranges: [] });
    expect(c.args).toEqual({ cni: { ips: ['10.0.0.2'] }, other: 1 });
  });
  test('plugins extend it', () => {
    const Bridge = z.extend(PluginConf, { bridge: z._default(z.string(), 'cni0') });
    expect(Bridge.parse({ name: 'n' })).toMatchObject({ bridge: 'cni0', cniVersion: '0.1.0' });
    expect(Bridge.safeParse({ name: 'n', ipMasq: 'yes' }).success).toBe(false);
  });
});

describe('ciObject', () => {
  const PortMapping = ciObject({ hostPort: z.int(), containerPort: z.int(), protocol: z.optional(z.string()), hostIP: z.optional(z.string()) });
  test('containerd\'s capitalised keys are accepted', () => {
    expect(PortMapping.parse({ HostPort: 8080, ContainerPort: 80, Protocol: 'tcp', HostIP: '' })).toEqual({
      hostPort: 8080,
      containerPort: 80,
      protocol: 'tcp',
      hostIP: '',
    });
  });
  test('an exact spelling wins over another case, in either order; unknown keys are dropped', () => {
    expect(PortMapping.parse({ HOSTPORT: 1, hostPort: 2, containerPort: 3, extra: 1 })).toEqual({ hostPort: 2, containerPort: 3 });
    expect(PortMapping.parse({ hostPort: 2, HOSTPORT: 1, containerPort: 3 })).toEqual({ hostPort: 2, containerPort: 3 });
  });
  test('errors name the canonical key', () => {
    const r = z.array(PortMapping).safeParse([{ HostPort: 'x', ContainerPort: 80 }]);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual([0, 'hostPort']);
  });
  test('non-objects are rejected by the object schema', () => {
    expect(PortMapping.safeParse('x').success).toBe(false);
  });
});
