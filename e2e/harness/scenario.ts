// The life of one cell, as a runtime drives it: ADD, CHECK, pings, DEL, DEL again; then the kernel and the plugins'
// state must be as before the ADD. A cell whose version cannot express the case must get the declared error instead.
import { parseNetworkConfigList, type NetworkConfigList, type RawResult, type RuntimeConf } from '@cni-ts/cli/run';
import { parseResult, type Result } from '@cni-ts/skel';
import { expect } from 'vitest';
import type { Cell, Impl } from '../matrix.ts';
import { cellConflist } from './conflists.ts';
import { bridgePorts, globalAddrs, iptablesRules, links, natState, nftRulesAbout, ping } from './kernel.ts';
import { ourPlugin, referencePlugin, type OurPlugin } from './paths.ts';
import { outsideAddrs, Sandbox } from './sandbox.ts';
import { leftoverState } from './state.ts';

const isV6 = (addr: string) => addr.includes(':');
const bare = (addr: string) => addr.split('/')[0] ?? addr;

export function pluginFor(impl: Impl, name: OurPlugin): string {
  return impl === 'ours' ? ourPlugin(name) : referencePlugin(name);
}

export function sandboxFor(cell: Cell, extra: { scripts?: Record<string, string> } = {}): Promise<Sandbox> {
  return Sandbox.create({
    plugins: {
      bridge: pluginFor(cell.bridgeImpl, 'bridge'),
      ...(cell.ipam === 'none' ? {} : { [cell.ipam]: pluginFor(cell.ipamImpl, cell.ipam) }),
    },
    containers: cell.family === 'l2' ? 2 : 1,
    outside: cell.masq !== 'none',
    ...extra,
  });
}

export function attachments(sb: Sandbox): RuntimeConf[] {
  return sb.containers.map((c, i) => ({ containerId: `e2e-${sb.suffix}-c${i + 1}`, netns: c.path, ifName: 'eth0' }));
}

export function cellList(cell: Cell, sb: Sandbox): NetworkConfigList {
  return parseNetworkConfigList(Buffer.from(JSON.stringify(cellConflist(cell, sb))));
}

/** Runs the whole cell in a fresh sandbox; a failure carries the plugins' stderr. */
export async function runCell(cell: Cell): Promise<void> {
  await using sb = await sandboxFor(cell);
  try {
    await lifecycle(cell, sb);
  } catch (err) {
    if (err instanceof Error && sb.pluginLog.length > 0) err.message += `\n--- plugin stderr (tail) ---\n${sb.logTail()}`;
    throw err;
  }
}

async function lifecycle(cell: Cell, sb: Sandbox): Promise<void> {
  const list = cellList(cell, sb);
  const rts = attachments(sb);
  const ips: string[] = [];
  if (cell.addError) {
    for (const rt of rts) await expect(sb.runner.add(list, rt), 'ADD must fail').rejects.toThrow(cell.addError.pattern);
  } else {
    for (const [i, rt] of rts.entries()) {
      const raw = await sb.runner.add(list, rt);
      const result = checkResultShape(cell, raw);
      const addrs = (result.ips ?? []).map((ip) => ip.address);
      ips.push(...addrs.map(bare));
      expect((await globalAddrs(sb.containers[i]!, rt.ifName)).sort(), 'container addresses = result addresses').toEqual([...addrs].sort());
      if (cell.masq !== 'none') await expectMasqRules(cell, sb, addrs);
      if (cell.checkError) await expect(sb.runner.check(list, rt), 'CHECK must fail').rejects.toThrow(cell.checkError.pattern);
      else await sb.runner.check(list, rt);
      await pings(cell, sb, i, result);
    }
    expect((await bridgePorts(sb.host, sb.bridge)).length, 'one bridge port per container').toBe(rts.length);
    if (cell.family === 'l2') await l2Ping(sb);
  }
  for (let round = 0; round < 2; round++) { // DEL must be repeatable
    for (const rt of rts) await del(cell, sb, list, rt);
  }
  await expectClean(cell, sb, ips);
}

/** DEL succeeds, or (where the cell allows it) fails with the config error that made ADD fail. */
async function del(cell: Cell, sb: Sandbox, list: NetworkConfigList, rt: RuntimeConf): Promise<void> {
  if (!cell.delError) return sb.runner.del(list, rt);
  await sb.runner.del(list, rt).catch((err: unknown) => expect(String(err), 'DEL may only fail with the declared error').toMatch(cell.delError!.pattern));
}

/** The result is in the cell's version, with that version's shape, and holds the cell's addresses. */
function checkResultShape(cell: Cell, raw: RawResult): Result {
  expect(raw.cniVersion, 'result cniVersion').toBe(cell.version);
  const old = cell.version === '0.1.0' || cell.version === '0.2.0';
  if (old) expect(raw, '0.1.0/0.2.0 results have no interfaces').not.toHaveProperty('interfaces');
  const rawIps = (raw.ips ?? []) as Array<Record<string, unknown>>;
  if (cell.version.startsWith('0.3') || cell.version === '0.4.0') for (const ip of rawIps) expect(ip, 'ips[].version before 1.0.0').toHaveProperty('version');
  if (cell.version.startsWith('1.')) for (const ip of rawIps) expect(ip, 'no ips[].version from 1.0.0').not.toHaveProperty('version');
  const result = parseResult(raw);
  const v4 = (result.ips ?? []).filter((ip) => !isV6(ip.address)).length;
  const v6 = (result.ips ?? []).filter((ip) => isV6(ip.address)).length;
  const expected = { ipv4: [1, 0], ipv6: [0, 1], dual: [1, 1], multi: [0, 2], l2: [0, 0] }[cell.family];
  expect([v4, v6], 'IPv4 and IPv6 address counts').toEqual(expected);
  return result;
}

async function expectMasqRules(cell: Cell, sb: Sandbox, addrs: string[]): Promise<void> {
  const nat = await natState(sb.host);
  for (const addr of addrs) {
    const ip = bare(addr);
    if (cell.masq === 'iptables') {
      const dump = isV6(ip) ? nat.ip6tables : nat.iptables;
      expect(dump, `iptables masquerade for ${ip}`).toContain(`-s ${ip}/${isV6(ip) ? 128 : 32}`);
      expect(dump).toContain('MASQUERADE');
    } else {
      expect(nftRulesAbout(nat.nft, [ip]).join('\n'), `nftables masquerade for ${ip}`).toMatch(new RegExp(`saddr ${ip.replace(/\./g, '\\.')}`));
    }
  }
  if (cell.masq === 'nftables') expect(iptablesRules(nat.iptables + nat.ip6tables), 'nftables backend adds no iptables rules').toEqual([]);
  if (cell.masq === 'iptables') expect(nat.nft, 'iptables backend adds no nftables masquerade table').not.toContain('cni_plugins_masquerade');
}

/** Container → each gateway; with masquerading, container → the outside namespace, which has no route back. */
async function pings(cell: Cell, sb: Sandbox, i: number, result: Result): Promise<void> {
  const from = sb.containers[i]!;
  for (const ip of result.ips ?? []) {
    expect(ip.gateway, `gateway of ${ip.address}`).toBeDefined();
    await ping(from, ip.gateway!, sb.namespaces);
  }
  if (cell.masq === 'none') return;
  const families = new Set((result.ips ?? []).map((ip) => (isV6(ip.address) ? 6 : 4)));
  if (families.has(4)) await ping(from, outsideAddrs.outside4, sb.namespaces);
  if (families.has(6)) await ping(from, outsideAddrs.outside6, sb.namespaces);
}

/** An L2-only network carries traffic between containers that address themselves. */
async function l2Ping(sb: Sandbox): Promise<void> {
  const [c1, c2] = sb.containers;
  await c1!.ip(['addr', 'add', '10.78.0.11/24', 'dev', 'eth0']);
  await c2!.ip(['addr', 'add', '10.78.0.12/24', 'dev', 'eth0']);
  await ping(c1!, '10.78.0.12', sb.namespaces);
}

/** After DEL: no container interface, no host veth or bridge port, no NAT rule, no reservation, no cache entry. */
export async function expectClean(cell: Cell, sb: Sandbox, ips: readonly string[]): Promise<void> {
  for (const c of sb.containers) {
    expect((await links(c)).map((l) => l.ifname), `links left in ${c.name}`).toEqual(['lo']);
  }
  const hostVeths = (await links(sb.host)).filter((l) => l.linkinfo?.info_kind === 'veth' && l.ifname !== `up-${sb.suffix}`);
  expect(hostVeths.map((l) => l.ifname), 'host veths left').toEqual([]);
  expect(await bridgePorts(sb.host, sb.bridge), 'bridge ports left').toEqual([]);
  const nat = await natState(sb.host);
  expect(iptablesRules(nat.iptables), 'iptables nat rules left').toEqual([]);
  expect(iptablesRules(nat.ip6tables), 'ip6tables nat rules left').toEqual([]);
  expect(nftRulesAbout(nat.nft, ips), 'nftables rules left').toEqual([]);
  expect(await leftoverState(cell, sb), 'plugin state left').toEqual([]);
}
