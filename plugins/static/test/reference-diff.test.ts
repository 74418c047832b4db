// Differential tests against the reference static (Debian containernetworking-plugins 1.1.1, /usr/lib/cni/static):
// the same input must give the same stdout byte for byte (ADD, CHECK, DEL) at every cniVersion, and every bad
// config the same error code. The reference stops at 1.0.0, so for 1.1.0 we compare with its 1.0.0 answer.
// Inputs where we differ on purpose (README "Divergences") are tested in src/plugin.test.ts, not here.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versions } from '@cni-ts/skel';
import { buildPlugin, type BuiltPlugin, execPlugin, mapLimit, type PluginRun } from '@cni-ts/ipam-core/testing';

const REFERENCE = '/usr/lib/cni/static';
let ours: BuiltPlugin;

beforeAll(async () => {
  expect(existsSync(REFERENCE), `${REFERENCE} (Debian containernetworking-plugins) is required`).toBe(true);
  ours = await buildPlugin('static');
}, 60_000);
afterAll(() => ours?.remove());

const referenceVersion = (v: string) => (v === '1.1.0' ? '1.0.0' : v);
const asVersion = (stdout: string, from: string, to: string) => (from === to ? stdout : stdout.replace(`"cniVersion": "${from}"`, `"cniVersion": "${to}"`));
const atLeast040 = (v: string) => !['0.1.0', '0.2.0', '0.3.0', '0.3.1'].includes(v);

interface Case {
  readonly name: string;
  readonly ipam: Record<string, unknown>;
  readonly extra?: Record<string, unknown>;
  readonly cniArgs?: string;
  /** several addresses of one family: only from 0.3.0 on */
  readonly multiPerFamily?: boolean;
}

const cases: Case[] = [
  { name: 'one IPv4 address with gateway', ipam: { addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }] } },
  {
    name: 'dual stack, routes and dns',
    ipam: {
      addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64', gateway: 'fd00::1' }],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/16', gw: '10.10.0.254' }, { dst: '::/0', gw: 'fd00::1' }],
      dns: { nameservers: ['10.10.0.53', 'fd00::53'], domain: 'example.com', search: ['example.com', 'example.org'], options: ['ndots:2'] },
    },
  },
  { name: 'IPv6 only', ipam: { addresses: [{ address: 'fd00:0:0::5/64' }], routes: [{ dst: '::/0', gw: 'fd00::1' }] } },
  { name: 'two IPv4 addresses', ipam: { addresses: [{ address: '10.10.0.5/24' }, { address: '10.20.0.5/16', gateway: '10.20.0.1' }] }, multiPerFamily: true },
  { name: 'a /32', ipam: { addresses: [{ address: '10.10.0.5/32' }] } },
  { name: 'the network address, host bits kept as written', ipam: { addresses: [{ address: '10.10.0.0/24' }, { address: 'fd00::7:5/64' }] } },
  { name: 'gateway outside the subnet (accepted)', ipam: { addresses: [{ address: '10.10.0.5/24', gateway: '10.99.0.1' }] } },
  { name: 'dns values are not checked', ipam: { addresses: [{ address: '10.10.0.5/24' }], dns: { nameservers: ['not-an-ip'] } } },
  // (not `Address`: the reference's Go struct has an untagged field of that exact name, so it fails on it)
  { name: 'keys in any case', ipam: { Addresses: [{ address: '10.10.0.5/24', Gateway: '10.10.0.1' }], DNS: { Nameservers: ['10.10.0.53'] }, Routes: [{ DST: '0.0.0.0/0' }] } },
  {
    name: 'CNI_ARGS IP and GATEWAY (with the keys a runtime sends)',
    ipam: { addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }] },
    cniArgs: 'IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod;IP=fd30::5/64;GATEWAY=fd30::1,10.10.0.9',
  },
  { name: 'CNI_ARGS IP only', ipam: {}, cniArgs: 'IP=10.30.0.5/24' },
  { name: 'args.cni.ips replaces the addresses', ipam: { addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }] }, extra: { args: { cni: { ips: ['10.40.0.5/24', 'fd40::5/64'] } } } },
  { name: 'runtimeConfig.ips replaces the addresses', ipam: { addresses: [{ address: '10.10.0.5/24' }] }, extra: { runtimeConfig: { ips: ['10.50.0.5/24'] } } },
];

async function steps(bin: string, c: Case, version: string): Promise<string[]> {
  const conf = { cniVersion: version, name: 'net', ipam: { type: 'static', ...c.ipam }, ...c.extra };
  const base: Omit<PluginRun, 'command' | 'conf'> = c.cniArgs ? { cniArgs: c.cniArgs } : {};
  const add = await execPlugin(bin, { command: 'ADD', conf, ...base });
  const out = [`ADD exit ${add.exitCode}\n${add.stdout}`];
  if (add.exitCode === 0 && atLeast040(version)) {
    const check = await execPlugin(bin, { command: 'CHECK', conf: { ...conf, prevResult: add.json }, ...base });
    out.push(`CHECK exit ${check.exitCode}\n${check.stdout}`);
  }
  const del = await execPlugin(bin, { command: 'DEL', conf, ...base });
  out.push(`DEL exit ${del.exitCode}\n${del.stdout}`);
  return out;
}

describe.each(versions.all)('cniVersion %s: same results as the reference', (version) => {
  const table = cases.filter((c) => !c.multiPerFamily || (version !== '0.1.0' && version !== '0.2.0'));

  it(`${table.length} configs: ADD, CHECK with its result, DEL`, async () => {
    const rows = await mapLimit(table, 3, async (c) => {
      const refVersion = referenceVersion(version);
      const reference = (await steps(REFERENCE, c, refVersion)).map((o) => asVersion(o, refVersion, version));
      return { c, reference, got: await steps(ours.path, c, version) };
    });
    for (const { c, reference, got } of rows) {
      expect(reference[0], `${c.name}: the reference must succeed`).toMatch(/^ADD exit 0\n\{/);
      expect(got, c.name).toEqual(reference);
    }
  });
});

interface BadCase {
  readonly name: string;
  readonly conf: Record<string, unknown>;
  readonly cniArgs?: string;
  readonly field: string;
}

const staticOf = (ipam: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'net', ipam: { type: 'static', ...ipam }, ...extra });
const one = { addresses: [{ address: '10.10.0.5/24' }] };

const badConfigs: BadCase[] = [
  { name: 'missing name', conf: { ipam: { type: 'static', ...one } }, field: 'network name' },
  { name: 'name with a slash', conf: { ...staticOf(one), name: 'a/b' }, field: 'network name' },
  { name: 'name not a string', conf: { ...staticOf(one), name: ['x'] }, field: 'name' },
  { name: 'cniVersion not a string', conf: { ...staticOf(one), cniVersion: 1.0 }, field: 'cniVersion' },
  { name: 'unknown cniVersion', conf: { ...staticOf(one), cniVersion: '9.9.9' }, field: 'incompatible CNI versions' },
  { name: 'no ipam', conf: { name: 'net' }, field: 'ipam' },
  { name: 'ipam not an object', conf: { name: 'net', ipam: ['static'] }, field: 'ipam' },
  { name: 'ipam.type not a string', conf: staticOf({ type: 5, ...one }), field: 'ipam.type' },
  { name: 'addresses not a list', conf: staticOf({ addresses: 'x' }), field: 'ipam.addresses' },
  { name: 'address entry not an object', conf: staticOf({ addresses: ['10.10.0.5/24'] }), field: 'ipam.addresses[0]' },
  { name: 'address without prefix', conf: staticOf({ addresses: [{ address: '10.10.0.5' }] }), field: 'ipam.addresses[0].address' },
  { name: 'address not an IP', conf: staticOf({ addresses: [{ address: 'foo/24' }] }), field: 'ipam.addresses[0].address' },
  { name: 'address prefix /33', conf: staticOf({ addresses: [{ address: '10.10.0.5/33' }] }), field: 'ipam.addresses[0].address' },
  { name: 'address prefix /129', conf: staticOf({ addresses: [{ address: 'fd00::5/129' }] }), field: 'ipam.addresses[0].address' },
  { name: 'address not a string', conf: staticOf({ addresses: [{ address: 5 }] }), field: 'ipam.addresses[0].address' },
  { name: 'address missing', conf: staticOf({ addresses: [{ gateway: '10.10.0.1' }] }), field: 'ipam.addresses[0].address' },
  { name: 'gateway not an IP', conf: staticOf({ addresses: [{ address: '10.10.0.5/24', gateway: 'x' }] }), field: 'ipam.addresses[0].gateway' },
  { name: 'gateway not a string', conf: staticOf({ addresses: [{ address: '10.10.0.5/24', gateway: 1 }] }), field: 'ipam.addresses[0].gateway' },
  { name: 'routes not a list', conf: staticOf({ ...one, routes: {} }), field: 'ipam.routes' },
  { name: 'route dst not a CIDR', conf: staticOf({ ...one, routes: [{ dst: 'x' }] }), field: 'ipam.routes[0].dst' },
  { name: 'route gw not an IP', conf: staticOf({ ...one, routes: [{ dst: '0.0.0.0/0', gw: 'q' }] }), field: 'ipam.routes[0].gw' },
  { name: 'dns not an object', conf: staticOf({ ...one, dns: 'x' }), field: 'ipam.dns' },
  { name: 'dns.nameservers not a list', conf: staticOf({ ...one, dns: { nameservers: '8.8.8.8' } }), field: 'ipam.dns.nameservers' },
  { name: 'dns.domain not a string', conf: staticOf({ ...one, dns: { domain: ['x'] } }), field: 'ipam.dns.domain' },
  { name: 'CNI_ARGS IP without prefix', conf: staticOf(one), cniArgs: 'IP=10.30.0.5', field: 'CNI_ARGS IP' },
  { name: 'CNI_ARGS IP not an address', conf: staticOf(one), cniArgs: 'IP=10.30.0.5/24,bogus', field: 'CNI_ARGS IP' },
  { name: 'CNI_ARGS GATEWAY not an IP', conf: staticOf(one), cniArgs: 'IP=10.30.0.5/24;GATEWAY=zz', field: 'CNI_ARGS GATEWAY' },
  { name: 'args.cni.ips entry without prefix', conf: staticOf(one, { args: { cni: { ips: ['10.40.0.5'] } } }), field: 'args.cni.ips[0]' },
  { name: 'args.cni.ips not a list', conf: staticOf(one, { args: { cni: { ips: '10.40.0.5/24' } } }), field: 'args.cni.ips' },
  { name: 'runtimeConfig.ips entry without prefix', conf: staticOf(one, { runtimeConfig: { ips: ['10.50.0.5'] } }), field: 'runtimeConfig.ips[0]' },
];

const belowV03: BadCase[] = [
  { name: 'two IPv4 addresses', conf: staticOf({ addresses: [{ address: '10.10.0.5/24' }, { address: '10.20.0.5/24' }] }), field: 'CNI version' },
  { name: 'no address at all', conf: staticOf({}), field: 'no valid IP addresses' },
];

describe.each(versions.all)('cniVersion %s: same error code as the reference for every bad config', (version) => {
  const table = version === '0.1.0' || version === '0.2.0' ? [...badConfigs, ...belowV03] : badConfigs;

  it(`${table.length} bad configs`, async () => {
    expect(badConfigs.length).toBeGreaterThanOrEqual(25);
    const rows = await mapLimit(table, 3, async (c) => {
      const run = (bin: string, v: string) => execPlugin(bin, { command: 'ADD', conf: { cniVersion: v, ...c.conf }, ...(c.cniArgs ? { cniArgs: c.cniArgs } : {}) });
      return { c, ref: await run(REFERENCE, referenceVersion(version)), got: await run(ours.path, version) };
    });
    for (const { c, ref, got } of rows) {
      expect(ref.exitCode, `${c.name}: the reference must fail`).toBe(1);
      expect({ exit: got.exitCode, code: (got.json as { code?: number }).code }, c.name).toEqual({ exit: 1, code: (ref.json as { code: number }).code });
      expect((got.json as { msg: string }).msg, c.name).toContain(c.field);
    }
  });
});

describe('CHECK without prevResult', () => {
  it('fails like the reference', async () => {
    const conf = { cniVersion: '1.0.0', ...staticOf(one) };
    const ref = await execPlugin(REFERENCE, { command: 'CHECK', conf });
    const got = await execPlugin(ours.path, { command: 'CHECK', conf });
    expect(got.stdout).toBe(ref.stdout);
    expect(got.exitCode).toBe(1);
  });
});
