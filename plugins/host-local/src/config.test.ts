import { describe, expect, it } from 'vitest';
import { formatRangeSet } from '@cni-ts/ipam-core';
import { parseCniArgs } from '@cni-ts/skel';
import { DEFAULT_LOCK_TIMEOUT_MS, loadHostLocalConfig, loadStateLocation } from './config.ts';

const ctx = (raw: Record<string, unknown>, cniArgs = '') => ({
  raw: { name: 'net', ...raw },
  conf: { name: 'net' },
  args: parseCniArgs(cniArgs),
  cniVersion: '1.1.0' as const,
});

describe('loadHostLocalConfig', () => {
  it('defaults dataDir to /var/lib/cni/networks and the lock timeout to 30 s', () => {
    const conf = loadHostLocalConfig(ctx({ ipam: { type: 'host-local', subnet: '10.1.0.0/24' } }));
    expect([conf.dir, conf.lockTimeoutMs, DEFAULT_LOCK_TIMEOUT_MS]).toEqual(['/var/lib/cni/networks/net', 30_000, 30_000]);
    expect(conf.routes).toEqual([]);
    expect(conf.requested).toBeUndefined();
  });

  it('orders range sets: runtimeConfig.ipRanges, the legacy range, ranges', () => {
    const conf = loadHostLocalConfig(ctx({
      ipam: { type: 'host-local', subnet: '10.2.0.0/24', ranges: [[{ subnet: '10.3.0.0/24' }]], dataDir: '/run/x/', lockTimeoutMs: 5 },
      runtimeConfig: { ipRanges: [[{ subnet: '10.4.0.0/24' }]] },
    }));
    expect(conf.sets.map((s) => [s.path, formatRangeSet(s)])).toEqual([
      ['runtimeConfig.ipRanges[0]', '10.4.0.1-10.4.0.254'],
      ['ipam', '10.2.0.1-10.2.0.254'],
      ['ipam.ranges[0]', '10.3.0.1-10.3.0.254'],
    ]);
    expect([conf.dir, conf.lockTimeoutMs]).toEqual(['/run/x/net', 5]);
  });

  it('lets STATUS accept a config whose ranges all come from the runtime', () => {
    expect(loadHostLocalConfig(ctx({ ipam: { type: 'host-local' } }), { requireRanges: false }).sets).toEqual([]);
    expect(() => loadHostLocalConfig(ctx({ ipam: { type: 'host-local' } }))).toThrow('ipam.ranges: no IP ranges specified');
  });

  it('reads CNI_ARGS IP only when it is the source used', () => {
    const base = { ipam: { type: 'host-local', subnet: '10.1.0.0/24' } };
    expect(loadHostLocalConfig(ctx(base, 'IP=10.1.0.9,10.1.0.10/24')).requested).toMatchObject({ source: 'CNI_ARGS IP', ips: [{ family: 4 }, { family: 4 }] });
    expect(loadHostLocalConfig(ctx({ ...base, args: { cni: { ips: ['10.1.0.5'] } } }, 'IP=garbage')).requested?.source).toBe('args.cni.ips');
    expect(() => loadHostLocalConfig(ctx(base, 'IP=garbage'))).toThrow('CNI_ARGS IP: invalid IP address: "garbage"');
  });

  it.each([
    [{ ipam: { type: 'host-local', subnet: '10.1.0.0/24', lockTimeoutMs: -1 } }, 'ipam.lockTimeoutMs: must be at least 0'],
    [{ ipam: { type: 'host-local', subnet: '10.1.0.0/24', dataDir: '' } }, 'ipam.dataDir: must be at least 1 characters long'],
    [{}, "ipam: IPAM config missing 'ipam' key"],
  ])('refuses %j', (raw, msg) => {
    expect(() => loadHostLocalConfig(ctx(raw))).toThrow(msg);
  });
});

describe('loadStateLocation (DEL, GC)', () => {
  it('reads only dataDir and lockTimeoutMs', () => {
    expect(loadStateLocation(ctx({ ipam: { type: 'host-local', ranges: 'garbage', dataDir: '/d', lockTimeoutMs: 9 } }))).toEqual({ dir: '/d/net', lockTimeoutMs: 9 });
    expect(loadStateLocation(ctx({ ipam: {} }))).toEqual({ dir: '/var/lib/cni/networks/net', lockTimeoutMs: 30_000 });
  });

  it('fails when it cannot know where the state is', () => {
    expect(() => loadStateLocation(ctx({ ipam: { dataDir: 5 } }))).toThrow('ipam.dataDir: expected string, got number');
    expect(() => loadStateLocation(ctx({}))).toThrow("ipam: IPAM config missing 'ipam' key");
  });
});
