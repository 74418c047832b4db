// The runner's GC and STATUS against our built plugins (cniVersion 1.1.0): stale attachments go, valid ones stay.
import { rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { RawResult } from '@cni-ts/cli/run';
import type { Cell } from '../matrix.ts';
import { globalAddrs, iptablesRules, links, natState, nftRulesAbout, ping } from '../harness/kernel.ts';
import { attachments, cellList, expectClean, sandboxFor } from '../harness/scenario.ts';
import { leftoverState } from '../harness/state.ts';

const bare = (a: string) => a.split('/')[0] ?? a;
const ipsOf = (r: RawResult) => ((r.ips ?? []) as Array<{ address: string }>).map((ip) => bare(ip.address));
const gatewayOf = (r: RawResult) => ((r.ips ?? []) as Array<{ gateway?: string }>)[0]?.gateway ?? '';
const cell = (ipam: Cell['ipam'], masq: Cell['masq']): Cell => ({
  id: `${ipam} masq=${masq}`, ipam, version: '1.1.0', family: 'ipv4', masq, bridgeImpl: 'ours', ipamImpl: 'ours',
});
/** Lines (rules, state entries) that mention one of the addresses or the container id. */
const mentioning = (lines: string[], needles: string[]) => lines.filter((l) => needles.some((n) => l.includes(n)));

it.concurrent.for([cell('host-local', 'nftables'), cell('dnsmasq-ipam', 'iptables')])(
  'GC with valid attachments DELs the stale one and keeps the valid one; STATUS is ready: $id',
  async (c) => {
    await using sb = await sandboxFor(c);
    const list = cellList(c, sb);
    const [keep] = attachments(sb);
    const staleNs = await sb.addContainer();
    const stale = { containerId: `e2e-${sb.suffix}-stale`, netns: staleNs.path, ifName: 'eth0' };
    const kept = await sb.runner.add(list, keep!);
    const gone = await sb.runner.add(list, stale);
    await sb.runner.status(list);
    await sb.runner.gc(list, { validAttachments: [{ containerID: keep!.containerId, ifname: 'eth0' }] });
    // the stale attachment is gone everywhere ...
    expect((await links(staleNs)).map((l) => l.ifname), 'stale container interface').toEqual(['lo']);
    const nat = await natState(sb.host);
    expect(mentioning(nftRulesAbout(nat.nft, ipsOf(gone)), ipsOf(gone)), 'stale nft rules').toEqual([]);
    expect(mentioning(iptablesRules(nat.iptables), ipsOf(gone)), 'stale iptables rules').toEqual([]);
    expect(mentioning(await leftoverState(c, sb), [...ipsOf(gone), stale.containerId]), 'stale state').toEqual([]);
    expect((await sb.runner.cache.list()).map((a) => a.containerId)).toEqual([keep!.containerId]);
    // ... and the valid one still works
    await sb.runner.check(list, keep!);
    await ping(sb.containers[0]!, gatewayOf(kept), sb.namespaces);
    expect(await globalAddrs(sb.containers[0]!, 'eth0')).toEqual(((kept.ips ?? []) as Array<{ address: string }>).map((ip) => ip.address));
    await sb.runner.del(list, keep!);
    await expectClean(c, sb, [...ipsOf(kept), ...ipsOf(gone)]);
  },
);

// The runtime lost track of an attachment (no cache entry, namespace gone): step 1 of GC cannot DEL it, so only the
// plugins' own GC (step 2, cni.dev/valid-attachments) can find its reservation and its masquerade rules.
it.concurrent.for([cell('host-local', 'nftables'), cell('host-local', 'iptables'), cell('dnsmasq-ipam', 'nftables')])(
  'plugin GC releases what the runtime forgot: $id',
  async (c) => {
    await using sb = await sandboxFor(c);
    const list = cellList(c, sb);
    const [keep] = attachments(sb);
    const lostNs = await sb.addContainer();
    const lost = { containerId: `e2e-${sb.suffix}-lost`, netns: lostNs.path, ifName: 'eth0' };
    const kept = await sb.runner.add(list, keep!);
    const forgotten = await sb.runner.add(list, lost);
    await rm(sb.runner.cache.path(list.name, lost.containerId, lost.ifName));
    sb.containers.splice(sb.containers.indexOf(lostNs), 1);
    await lostNs.destroy();
    await sb.runner.gc(list, { validAttachments: [{ containerID: keep!.containerId, ifname: 'eth0' }] });
    const nat = await natState(sb.host);
    expect(mentioning(nftRulesAbout(nat.nft, ipsOf(forgotten)), ipsOf(forgotten)), 'nft rules of the forgotten attachment').toEqual([]);
    expect(mentioning(iptablesRules(nat.iptables), ipsOf(forgotten)), 'iptables rules of the forgotten attachment').toEqual([]);
    expect(mentioning(await leftoverState(c, sb), [...ipsOf(forgotten), lost.containerId]), 'state of the forgotten attachment').toEqual([]);
    await sb.runner.check(list, keep!);
    await sb.runner.del(list, keep!);
    await expectClean(c, sb, [...ipsOf(kept), ...ipsOf(forgotten)]);
  },
);
