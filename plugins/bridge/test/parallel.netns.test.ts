// Acceptance item 9: 32 ADDs at once on a host namespace where the bridge does not exist yet. They race to
// create the bridge and to put the gateway address on it (checklist 8 #5); every one must succeed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { cni } from './fixtures/cni.ts';
import { tempNetns, type TestNetns } from './fixtures/netns.ts';
import { addresses, ping, ports, reservations } from './fixtures/state.ts';

const N = 32;

test.each([
  ['without masquerading', {}],
  ['with iptables masquerading and spoof checks', { ipMasq: true, ipMasqBackend: 'iptables', macspoofchk: true }],
])(`${N} parallel ADDs on a fresh host all succeed (%s)`, async (_what, extra) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cbt-ipam-'));
  const containers: TestNetns[] = [];
  try {
    await using host = await tempNetns('cbh');
    for (let i = 0; i < N; i++) containers.push(await tempNetns('cbp'));
    const conf = { cniVersion: '1.0.0', name: 'par', type: 'bridge', bridge: 'cbt0', isGateway: true, ...extra, ipam: { type: 'host-local', subnet: '10.216.0.0/24', dataDir } };
    const runs = await Promise.all(containers.map((c, i) => cni(host, { command: 'ADD', containerId: `p${i}`, netns: c.path, conf })));
    expect(runs.filter((r) => r.code !== 0).map((r) => r.stdout)).toEqual([]);
    const ips = runs.map((r) => r.json.ips[0].address);
    expect(new Set(ips).size).toBe(N);
    expect(await ports(host, 'cbt0')).toHaveLength(N);
    expect(await addresses(host, 'cbt0')).toEqual(['10.216.0.1/24']);
    expect(reservations(dataDir, 'par')).toHaveLength(N);
    expect(await ping(containers[0] as TestNetns, ips[N - 1].split('/')[0])).toBe(true);

    const dels = await Promise.all(containers.map((c, i) => cni(host, { command: 'DEL', containerId: `p${i}`, netns: c.path, conf })));
    expect(dels.filter((r) => r.code !== 0).map((r) => r.stdout)).toEqual([]);
    expect(await ports(host, 'cbt0')).toEqual([]);
    expect(reservations(dataDir, 'par')).toEqual([]);
  } finally {
    for (const c of containers) await c[Symbol.asyncDispose]();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 180_000);
