// Differential tests against the reference host-local (Debian containernetworking-plugins 1.1.1, /usr/lib/cni):
// the same scenario runs through both executables, each on its own fresh data directory, and must give the same
// stdout byte for byte at every step and the same files in the data directory at the end. Bad configs must fail
// with the same error code. Every cniVersion is covered; the reference stops at 1.0.0, so for 1.1.0 we compare
// with its 1.0.0 answer (the result types did not change between the two).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versions } from '@cni-ts/skel';
import { buildPlugin, type BuiltPlugin, execPlugin, mapLimit, type PluginRun } from '@cni-ts/ipam-core/testing';

const REFERENCE = '/usr/lib/cni/host-local';
let ours: BuiltPlugin;
let work: string;

beforeAll(async () => {
  // Installed by scripts/setup.sh; a missing reference must fail the suite, never skip it.
  expect(existsSync(REFERENCE), `${REFERENCE} (Debian containernetworking-plugins) is required`).toBe(true);
  ours = await buildPlugin('host-local');
  work = mkdtempSync(join(tmpdir(), 'host-local-diff-'));
  writeFileSync(join(work, 'resolv.conf'), '# test\nnameserver 10.0.0.53\nnameserver fd00::53\ndomain example.com\nsearch a.example b.example\noptions ndots:2\n');
}, 60_000);
afterAll(() => {
  ours?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What the reference is asked for a given version: it supports up to 1.0.0. */
const referenceVersion = (v: string) => (v === '1.1.0' ? '1.0.0' : v);
const asVersion = (stdout: string, from: string, to: string) => (from === to ? stdout : stdout.replace(`"cniVersion": "${from}"`, `"cniVersion": "${to}"`));

/** The data directory as a map: reservation files and cursors with their content (the lock file is not state). */
function stateOf(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) if (name !== 'lock') out[name] = readFileSync(join(dir, name), 'utf8');
  return out;
}

interface Step {
  readonly command: PluginRun['command'];
  readonly id: string;
  readonly ifName?: string;
  readonly cniArgs?: string;
}

interface Scenario {
  readonly name: string;
  readonly ipam: Record<string, unknown>;
  readonly extra?: Record<string, unknown>;
  readonly steps?: readonly Step[];
  /** several range sets of one family: only from 0.3.0 on (below, both must refuse: see the bad-config table) */
  readonly multiPerFamily?: boolean;
}

const ADD = (id: string, more: Partial<Step> = {}): Step => ({ command: 'ADD', id, ...more });
const DEL = (id: string, more: Partial<Step> = {}): Step => ({ command: 'DEL', id, ...more });
const CHECK = (id: string): Step => ({ command: 'CHECK', id });
// Round-robin: a, b, c; release b; d must not reuse b's address; DEL is repeatable; e.
const roundRobin: Step[] = [ADD('a'), ADD('b'), ADD('c'), DEL('b'), ADD('d'), DEL('b'), DEL('never-added'), ADD('e')];

const scenarios: Scenario[] = [
  { name: 'legacy single range', ipam: { subnet: '10.1.0.0/24' }, steps: roundRobin },
  { name: 'window and gateway', ipam: { ranges: [[{ subnet: '10.1.0.0/24', rangeStart: '10.1.0.100', rangeEnd: '10.1.0.102', gateway: '10.1.0.101' }]] }, steps: [...roundRobin, ADD('f')] },
  { name: 'two ranges in a set, wrapping', ipam: { ranges: [[{ subnet: '10.1.0.0/30' }, { subnet: '10.2.0.0/29', rangeEnd: '10.2.0.3' }]] }, steps: [ADD('a'), ADD('b'), ADD('c'), DEL('a'), ADD('d'), ADD('e')] },
  {
    name: 'dual stack with routes',
    ipam: { ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00:1::/64' }]], routes: [{ dst: '0.0.0.0/0' }, { dst: '::/0', gw: 'fd00:1::1' }, { dst: '192.168.0.0/16', gw: '10.1.0.254' }] },
    steps: roundRobin,
  },
  { name: 'IPv6 only, last address of the subnet', ipam: { ranges: [[{ subnet: 'fd00::/126' }]] }, steps: [ADD('a'), ADD('b'), ADD('c'), ADD('d')] },
  { name: 'resolvConf', ipam: { subnet: '10.1.0.0/24', resolvConf: '$WORK/resolv.conf' } },
  { name: 'legacy range before ranges', ipam: { subnet: '10.1.0.0/24', ranges: [[{ subnet: 'fd00::/64' }]] } },
  { name: 'several range sets of one family', ipam: { ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.2.0.0/24' }], [{ subnet: 'fd00::/64' }]] }, multiPerFamily: true },
  { name: 'gateway outside the subnet (accepted)', ipam: { subnet: '10.1.0.0/24', gateway: '10.9.0.1' } },
  { name: 'a /30 with one usable address', ipam: { subnet: '10.1.0.4/30' }, steps: [ADD('a'), DEL('a'), ADD('b')] },
  { name: 'keys in any case', ipam: { Subnet: '10.1.0.0/24', RangeStart: '10.1.0.9', Routes: [{ Dst: '0.0.0.0/0', GW: '10.1.0.1' }] } },
  { name: 'CNI_ARGS IP', ipam: { ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00::/64' }]] }, steps: [ADD('a', { cniArgs: 'IgnoreUnknown=1;IP=10.1.0.77' }), ADD('b', { cniArgs: 'IP=fd00::77/64' }), ADD('c')] },
  { name: 'args.cni.ips', ipam: { ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: 'fd00::/64' }]] }, extra: { args: { cni: { ips: ['10.1.0.78/24', 'fd00::78'] } } } },
  { name: 'runtimeConfig.ips', ipam: { subnet: '10.1.0.0/24' }, extra: { runtimeConfig: { ips: ['10.1.0.79'] } } },
  {
    name: 'runtimeConfig.ipRanges (nested, capitalised keys) before the config ranges',
    ipam: { ranges: [[{ subnet: '10.1.0.0/24' }]] },
    extra: { runtimeConfig: { ipRanges: [[{ Subnet: '10.5.0.0/24', RangeStart: '10.5.0.9', Gateway: '10.5.0.254' }], [{ subnet: 'fd05::/64' }]] } },
    multiPerFamily: true,
  },
  { name: 'several interfaces of one container', ipam: { subnet: '10.1.0.0/24' }, steps: [ADD('a', { ifName: 'eth0' }), ADD('a', { ifName: 'net1' }), DEL('a', { ifName: 'eth0' }), ADD('b')] },
];

/**
 * A failed step is compared by its code only, with one documented divergence: pool-state failures carry typed
 * codes (100 exhausted, 101 requested address taken, 102 duplicate allocation) where the reference says 999 for
 * everything; and our messages name the range set's config path. Results are compared byte for byte.
 */
function errorSummary(json: unknown): string {
  const code = (json as { code?: number } | undefined)?.code;
  const poolState = code === 100 || code === 101 || code === 102;
  return `error code ${poolState ? '999' : String(code)}`;
}

async function runScenario(bin: string, s: Scenario, version: string, dataDir: string): Promise<string[]> {
  const ipam = JSON.parse(JSON.stringify({ type: 'host-local', dataDir, ...s.ipam }).replaceAll('$WORK', work)) as object;
  const conf = { cniVersion: version, name: 'net', ipam, ...s.extra };
  const steps = s.steps ?? [ADD('a'), CHECK('a'), DEL('a'), DEL('a')];
  const outputs: string[] = [];
  for (const step of steps) {
    if (step.command === 'CHECK' && (version === '0.1.0' || version === '0.2.0' || version === '0.3.0' || version === '0.3.1')) continue;
    const out = await execPlugin(bin, { command: step.command, conf, containerId: step.id, ifName: step.ifName ?? 'eth0', ...(step.cniArgs ? { cniArgs: step.cniArgs } : {}) });
    outputs.push(`${step.command} ${step.id}: exit ${out.exitCode}\n${out.exitCode === 0 ? out.stdout : errorSummary(out.json)}`);
  }
  return outputs;
}

describe.each(versions.all)('cniVersion %s: same results and state as the reference', (version) => {
  const cases = () => scenarios.filter((s) => !s.multiPerFamily || (version !== '0.1.0' && version !== '0.2.0'));

  it('every scenario, step by step', async () => {
    const diffs = await mapLimit(cases(), 2, async (s) => {
      const refDir = mkdtempSync(join(work, 'ref-'));
      const ourDir = mkdtempSync(join(work, 'ours-'));
      const refVersion = referenceVersion(version);
      const reference = (await runScenario(REFERENCE, s, refVersion, refDir)).map((o) => asVersion(o, refVersion, version));
      const got = await runScenario(ours.path, s, version, ourDir);
      return { name: s.name, reference, got, refState: stateOf(join(refDir, 'net')), ourState: stateOf(join(ourDir, 'net')) };
    });
    for (const d of diffs) {
      expect(d.got, d.name).toEqual(d.reference);
      expect(d.ourState, `${d.name}: data directory`).toEqual(d.refState);
    }
    // the scenarios really allocate: a vacuous comparison of two failures would prove nothing
    expect(diffs.filter((d) => d.reference.some((o) => o.includes('exit 0\n{'))).length).toBe(cases().length);
  });
});

/** Bad configs: both must exit 1 with the same CNI error code, and our message must name the field. */
interface BadCase {
  readonly name: string;
  readonly conf: Record<string, unknown>;
  readonly cniArgs?: string;
  /** the config path or argument our message names */
  readonly field: string | RegExp;
}

const ipamOf = (ipam: Record<string, unknown>): Record<string, unknown> => ({ name: 'net', ipam: { type: 'host-local', ...ipam } });
const withRange = (range: Record<string, unknown>) => ipamOf({ ranges: [[range]] });

const badConfigs: BadCase[] = [
  { name: 'missing name', conf: { ipam: { type: 'host-local', subnet: '10.1.0.0/24' } }, field: 'network name' },
  { name: 'name with a space', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), name: 'a b' }, field: 'network name' },
  { name: 'name not a string', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), name: 5 }, field: 'name' },
  { name: 'cniVersion not a string', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), cniVersion: 1 }, field: 'cniVersion' },
  { name: 'no ipam', conf: { name: 'net' }, field: 'ipam' },
  { name: 'ipam not an object', conf: { name: 'net', ipam: 'host-local' }, field: 'ipam' },
  { name: 'ipam.type not a string', conf: ipamOf({ type: 5, subnet: '10.1.0.0/24' }), field: 'ipam.type' },
  { name: 'no ranges at all', conf: ipamOf({}), field: 'ipam.ranges' },
  { name: 'empty ranges', conf: ipamOf({ ranges: [] }), field: 'ipam.ranges' },
  { name: 'empty range set', conf: ipamOf({ ranges: [[]] }), field: 'ipam.ranges[0]' },
  { name: 'ranges not a list', conf: ipamOf({ ranges: 'x' }), field: 'ipam.ranges' },
  { name: 'ranges flat (not a list of sets)', conf: ipamOf({ ranges: [{ subnet: '10.1.0.0/24' }] }), field: 'ipam.ranges[0]' },
  { name: 'range without subnet', conf: withRange({ rangeStart: '10.1.0.5' }), field: 'ipam.ranges[0][0].subnet' },
  { name: 'subnet not a string', conf: ipamOf({ subnet: 5 }), field: 'ipam.subnet' },
  { name: 'subnet not a CIDR', conf: ipamOf({ subnet: 'foo' }), field: 'ipam.subnet' },
  { name: 'subnet without prefix', conf: withRange({ subnet: '10.1.0.0' }), field: 'ipam.ranges[0][0].subnet' },
  { name: 'prefix /33', conf: withRange({ subnet: '10.1.0.0/33' }), field: 'ipam.ranges[0][0].subnet' },
  { name: 'host bits set', conf: withRange({ subnet: '10.1.0.5/24' }), field: 'ipam.ranges[0][0].subnet' },
  { name: '/32', conf: ipamOf({ subnet: '10.1.0.5/32' }), field: 'ipam.subnet' },
  { name: '/31', conf: withRange({ subnet: '10.1.0.4/31' }), field: 'ipam.ranges[0][0].subnet' },
  { name: '/128', conf: withRange({ subnet: 'fd00::1/128' }), field: 'ipam.ranges[0][0].subnet' },
  { name: '/127', conf: withRange({ subnet: 'fd00::/127' }), field: 'ipam.ranges[0][0].subnet' },
  { name: 'rangeStart outside the subnet', conf: withRange({ subnet: '10.1.0.0/24', rangeStart: '10.2.0.5' }), field: 'ipam.ranges[0][0].rangeStart' },
  { name: 'rangeEnd outside the subnet', conf: withRange({ subnet: '10.1.0.0/24', rangeEnd: '10.2.0.5' }), field: 'ipam.ranges[0][0].rangeEnd' },
  { name: 'rangeStart after rangeEnd', conf: withRange({ subnet: '10.1.0.0/24', rangeStart: '10.1.0.50', rangeEnd: '10.1.0.10' }), field: 'ipam.ranges[0][0].rangeStart' },
  { name: 'rangeStart of the other family', conf: ipamOf({ subnet: '10.1.0.0/24', rangeStart: 'fd00::1' }), field: 'ipam.rangeStart' },
  { name: 'rangeStart not an IP', conf: withRange({ subnet: '10.1.0.0/24', rangeStart: '10.1.0' }), field: 'ipam.ranges[0][0].rangeStart' },
  { name: 'gateway not an IP', conf: ipamOf({ subnet: '10.1.0.0/24', gateway: 'x' }), field: 'ipam.gateway' },
  { name: 'gateway not a string', conf: withRange({ subnet: '10.1.0.0/24', gateway: 7 }), field: 'ipam.ranges[0][0].gateway' },
  { name: 'overlapping ranges in a set', conf: ipamOf({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: '10.1.0.0/25' }]] }), field: 'ipam.ranges[0]' },
  { name: 'mixed families in a set', conf: ipamOf({ ranges: [[{ subnet: '10.1.0.0/24' }, { subnet: 'fd00::/64' }]] }), field: 'ipam.ranges[0]' },
  { name: 'overlapping range sets', conf: ipamOf({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.1.0.0/16' }]] }), field: /ipam\.ranges\[0\]|^CNI version 0\.[12]\.0/ },
  { name: 'legacy range overlapping ranges', conf: ipamOf({ subnet: '10.1.0.0/16', ranges: [[{ subnet: '10.1.2.0/24' }]] }), field: /^range set ipam overlaps with ipam\.ranges\[0\]|^CNI version 0\.[12]\.0/ },
  { name: 'routes not a list', conf: ipamOf({ subnet: '10.1.0.0/24', routes: 'x' }), field: 'ipam.routes' },
  { name: 'route dst not a CIDR', conf: ipamOf({ subnet: '10.1.0.0/24', routes: [{ dst: 'x' }] }), field: 'ipam.routes[0].dst' },
  { name: 'route gw not an IP', conf: ipamOf({ subnet: '10.1.0.0/24', routes: [{ dst: '0.0.0.0/0', gw: 'y' }] }), field: 'ipam.routes[0].gw' },
  { name: 'dataDir not a string', conf: ipamOf({ subnet: '10.1.0.0/24', dataDir: 5 }), field: 'ipam.dataDir' },
  { name: 'resolvConf not a string', conf: ipamOf({ subnet: '10.1.0.0/24', resolvConf: 5 }), field: 'ipam.resolvConf' },
  { name: 'resolvConf missing file', conf: ipamOf({ subnet: '10.1.0.0/24', resolvConf: '/nonexistent/resolv.conf' }), field: 'ipam.resolvConf' },
  { name: 'CNI_ARGS IP not an IP', conf: ipamOf({ subnet: '10.1.0.0/24' }), cniArgs: 'IP=foo', field: 'CNI_ARGS IP' },
  { name: 'CNI_ARGS IP outside every range', conf: ipamOf({ subnet: '10.1.0.0/24' }), cniArgs: 'IP=10.9.0.5', field: 'CNI_ARGS IP' },
  { name: 'CNI_ARGS IP is the gateway', conf: ipamOf({ subnet: '10.1.0.0/24' }), cniArgs: 'IP=10.1.0.1', field: 'gateway' },
  { name: 'args.cni.ips entry not an IP', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), args: { cni: { ips: ['zz'] } } }, field: 'args.cni.ips[0]' },
  { name: 'args.cni.ips not a list', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), args: { cni: { ips: '10.1.0.7' } } }, field: 'args.cni.ips' },
  { name: 'runtimeConfig.ips entry not an IP', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), runtimeConfig: { ips: ['qq'] } }, field: 'runtimeConfig.ips[0]' },
  { name: 'runtimeConfig.ipRanges bad subnet', conf: { ...ipamOf({ subnet: '10.1.0.0/24' }), runtimeConfig: { ipRanges: [[{ subnet: 'bad' }]] } }, field: 'runtimeConfig.ipRanges[0][0].subnet' },
];

// Every version: 0.1.0 and 0.2.0 also refuse two range sets of one family (the reference's wording, kept).
const tooMany: BadCase = { name: 'two IPv4 range sets', conf: ipamOf({ ranges: [[{ subnet: '10.1.0.0/24' }], [{ subnet: '10.2.0.0/24' }]] }), field: 'CNI version' };

describe.each(versions.all)('cniVersion %s: same error code as the reference for every bad config', (version) => {
  const table = version === '0.1.0' || version === '0.2.0' ? [...badConfigs, tooMany] : badConfigs;

  it(`${table.length} bad configs`, async () => {
    expect(badConfigs.length).toBeGreaterThanOrEqual(25);
    const rows = await mapLimit(table, 3, async (c) => {
      const dataDir = mkdtempSync(join(work, 'bad-'));
      const conf = (v: string) => {
        const ipam = c.conf.ipam;
        const withDir = typeof ipam === 'object' && ipam !== null && !('dataDir' in ipam) ? { ...ipam, dataDir } : ipam;
        return { cniVersion: v, ...c.conf, ...(ipam === undefined ? {} : { ipam: withDir }) };
      };
      const run = (bin: string, v: string) => execPlugin(bin, { command: 'ADD', conf: conf(v), ...(c.cniArgs ? { cniArgs: c.cniArgs } : {}) });
      const [ref, got] = [await run(REFERENCE, referenceVersion(version)), await run(ours.path, version)];
      return { c, ref, got, state: stateOf(join(dataDir, 'net')) };
    });
    for (const { c, ref, got, state } of rows) {
      const refCode = (ref.json as { code?: number } | undefined)?.code;
      expect(ref.exitCode, `${c.name}: the reference must fail`).toBe(1);
      expect({ exit: got.exitCode, code: (got.json as { code?: number }).code }, c.name).toEqual({ exit: 1, code: refCode });
      expect((got.json as { msg: string }).msg, c.name).toMatch(typeof c.field === 'string' ? new RegExp(c.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : c.field);
      expect(Object.keys(state).filter((n) => !n.startsWith('last_')), `${c.name}: no reservation left behind`).toEqual([]);
    }
  });
});
