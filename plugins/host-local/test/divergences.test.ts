// Where we differ from the reference host-local on purpose (README "Divergences"): each case runs both executables
// and pins down both answers, so a divergence is always deliberate and visible.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin, type BuiltPlugin, execPlugin, type PluginOutput, type PluginRun } from '@cni-ts/ipam-core/testing';

const REFERENCE = '/usr/lib/cni/host-local';
let ours: BuiltPlugin;
let root: string;

beforeAll(async () => {
  expect(existsSync(REFERENCE), `${REFERENCE} (Debian containernetworking-plugins) is required`).toBe(true);
  ours = await buildPlugin('host-local');
  root = mkdtempSync(join(tmpdir(), 'host-local-divergence-'));
}, 60_000);
afterAll(() => {
  ours?.remove();
  if (root) rmSync(root, { recursive: true, force: true });
});

type Run = Omit<PluginRun, 'conf'> & { conf: Record<string, unknown> };

/** Runs the same steps with each implementation on its own data directory; returns the last step's output. */
async function both(steps: readonly Run[]): Promise<{ reference: PluginOutput; ours: PluginOutput; refDir: string; ourDir: string }> {
  const go = async (bin: string) => {
    const dataDir = mkdtempSync(join(root, 'd-'));
    let last: PluginOutput | undefined;
    for (const s of steps) {
      const conf = JSON.parse(JSON.stringify(s.conf).replaceAll('$DATA', dataDir)) as object;
      last = await execPlugin(bin, { ...s, conf });
    }
    return { out: last!, dir: join(dataDir, 'net') };
  };
  const [r, o] = [await go(REFERENCE), await go(ours.path)];
  return { reference: r.out, ours: o.out, refDir: r.dir, ourDir: o.dir };
}

const conf = (ipam: Record<string, unknown>, extra: Record<string, unknown> = {}, cniVersion = '1.0.0') => ({
  cniVersion,
  name: 'net',
  ipam: { type: 'host-local', dataDir: '$DATA', ...ipam },
  ...extra,
});
const ipsOf = (o: PluginOutput) => ((o.json as { ips?: { address: string }[] }).ips ?? []).map((i) => i.address);
const codeOf = (o: PluginOutput) => (o.json as { code?: number }).code;
const reservations = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n !== 'lock' && !n.startsWith('last_')).sort() : []);

describe('requested addresses: args.cni.ips, then runtimeConfig.ips, then CNI_ARGS IP (the reference merges all)', () => {
  it('two sources in one range set: the reference fails, we take the higher-precedence one', async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }, { args: { cni: { ips: ['10.1.0.5'] } }, runtimeConfig: { ips: ['10.1.0.6'] } }) }]);
    expect(r.reference.json).toMatchObject({ code: 999, msg: expect.stringMatching(/^failed to allocate all requested IPs: /) });
    expect(ipsOf(r.ours)).toEqual(['10.1.0.5/24']);
  });

  it('sources in different range sets: the reference honours both, we ignore the deprecated CNI_ARGS one', async () => {
    const c = conf({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00::/64' }]] }, { args: { cni: { ips: ['10.1.0.5'] } } });
    const r = await both([{ command: 'ADD', conf: c, cniArgs: 'IP=fd00::9' }]);
    expect(ipsOf(r.reference)).toEqual(['10.1.0.5/24', 'fd00::9/64']);
    expect(ipsOf(r.ours)).toEqual(['10.1.0.5/24', 'fd00::2/64']);
  });
});

describe('allocation', () => {
  it('never hands out the network or broadcast address, even when the window includes them', async () => {
    const c = conf({ subnet: '10.1.0.0/29', rangeStart: '10.1.0.0', rangeEnd: '10.1.0.7' });
    const first = await both([{ command: 'ADD', conf: c, containerId: 'a' }]);
    expect(ipsOf(first.reference)).toEqual(['10.1.0.0/29']);
    expect(ipsOf(first.ours)).toEqual(['10.1.0.2/29']);
    const steps: Run[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => ({ command: 'ADD', conf: c, containerId: id }));
    const last = await both(steps);
    expect(reservations(last.refDir)).toContain('10.1.0.7');
    expect(reservations(last.ourDir)).toEqual(['10.1.0.2', '10.1.0.3', '10.1.0.4', '10.1.0.5', '10.1.0.6']);
  });

  it('pool-state failures carry typed codes (100, 101, 102) where the reference says 999', async () => {
    const c = conf({ subnet: '10.1.0.4/30' });
    const exhausted = await both([{ command: 'ADD', conf: c, containerId: 'a' }, { command: 'ADD', conf: c, containerId: 'b' }]);
    const taken = await both([
      { command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }, { args: { cni: { ips: ['10.1.0.9'] } } }), containerId: 'a' },
      { command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }, { args: { cni: { ips: ['10.1.0.9'] } } }), containerId: 'b' },
    ]);
    const duplicate = await both([{ command: 'ADD', conf: c, containerId: 'a' }, { command: 'ADD', conf: c, containerId: 'a' }]);
    expect([exhausted, taken, duplicate].map((r) => [codeOf(r.reference), codeOf(r.ours)])).toEqual([[999, 100], [999, 101], [999, 102]]);
  });
});

describe('config', () => {
  it("containerd's flat runtimeConfig.ipRanges is one range set (the reference rejects it)", async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }, { runtimeConfig: { ipRanges: [{ Subnet: '10.5.0.0/24' }] } }) }]);
    expect(codeOf(r.reference)).toBe(999);
    expect(ipsOf(r.ours)).toEqual(['10.5.0.2/24', '10.1.0.2/24']);
  });

  it('unknown CNI_ARGS keys are ignored without IgnoreUnknown (the reference fails)', async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }), cniArgs: 'K8S_POD_NAME=x' }]);
    expect(r.reference.json).toEqual({ code: 999, msg: 'ARGS: unknown args ["K8S_POD_NAME=x"]' });
    expect(ipsOf(r.ours)).toEqual(['10.1.0.2/24']);
  });

  it('a route without dst is refused (the reference prints "<nil>")', async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24', routes: [{ gw: '10.1.0.1' }] }) }]);
    expect((r.reference.json as { routes: unknown }).routes).toEqual([{ dst: '<nil>', gw: '10.1.0.1' }]);
    expect(r.ours.json).toEqual({ code: 999, msg: 'ipam.routes[0].dst: expected string, got undefined' });
  });

  it('a gateway of the other family is refused (the reference returns it)', async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24', gateway: 'fd00::1' }) }]);
    expect(r.reference.json).toMatchObject({ ips: [{ address: '10.1.0.1/24', gateway: 'fd00::1' }] });
    expect(codeOf(r.ours)).toBe(999);
  });

  it('1.1.0 route attributes in ipam.routes reach the result (the reference drops them)', async () => {
    const r = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24', routes: [{ dst: '10.9.0.0/16', mtu: 1400, table: 100 }] }) }]);
    expect((r.reference.json as { routes: unknown }).routes).toEqual([{ dst: '10.9.0.0/16' }]);
    expect((r.ours.json as { routes: unknown }).routes).toEqual([{ dst: '10.9.0.0/16', mtu: 1400, table: 100 }]);
  });
});

describe('verbs', () => {
  it('DEL releases even when the ranges became invalid (the reference fails and keeps the reservation)', async () => {
    const r = await both([
      { command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }) },
      { command: 'DEL', conf: conf({ subnet: '10.1.0.5/24' }) },
    ]);
    expect(codeOf(r.reference)).toBe(999);
    expect(reservations(r.refDir)).toEqual(['10.1.0.2']);
    expect(r.ours.exitCode).toBe(0);
    expect(reservations(r.ourDir)).toEqual([]);
  });

  it('CHECK compares the reservation with prevResult (the reference only checks that one exists)', async () => {
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.77/24', gateway: '10.1.0.1' }] };
    const r = await both([
      { command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }) },
      { command: 'CHECK', conf: conf({ subnet: '10.1.0.0/24' }, { prevResult }) },
    ]);
    expect(r.reference.exitCode).toBe(0);
    expect(r.ours.json).toMatchObject({ code: 999, msg: expect.stringContaining('reserved but not in prevResult: 10.1.0.2; in prevResult but not reserved: 10.1.0.77') });
  });

  it('cniVersion 1.1.0, GC and STATUS are ours only (the reference 1.1.1 stops at 1.0.0)', async () => {
    const c = conf({ subnet: '10.1.0.0/24' }, {}, '1.1.0');
    const add = await both([{ command: 'ADD', conf: c, containerId: 'a' }]);
    expect([codeOf(add.reference), ipsOf(add.ours)]).toEqual([1, ['10.1.0.2/24']]);
    // the reference's skel knows neither verb: it asks for CNI_CONTAINERID (code 3) instead
    const gc = await both([{ command: 'ADD', conf: conf({ subnet: '10.1.0.0/24' }), containerId: 'a' }, { command: 'GC', conf: { ...c, 'cni.dev/valid-attachments': [] } }]);
    expect([gc.reference.exitCode, gc.ours.exitCode]).toEqual([1, 0]);
    expect([reservations(gc.refDir), reservations(gc.ourDir)]).toEqual([['10.1.0.2'], []]);
    const status = await both([{ command: 'STATUS', conf: c }]);
    expect([status.reference.exitCode, status.ours.exitCode]).toEqual([1, 0]);
  });
});
