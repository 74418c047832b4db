// DEL, CHECK and GC from the host side (acceptance 5): they never need the container namespace.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLeaseFile } from './dnsmasq/lease-file.ts';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Container, Lab } from './testing/lab.ts';
import { probeLease } from './testing/host-probe.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';
import type { PluginRun } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('DEL, CHECK and GC', () => {
  let lab: Lab;
  const run = (): string => `${lab.dir}/run/dqnet`;
  const leases = () => parseLeaseFile(readFileSync(`${run()}/leases`, 'utf8'));
  const call = (command: 'ADD' | 'DEL' | 'CHECK', c: Container, extra: { prevResult?: unknown; netns?: string } = {}): Promise<PluginRun> =>
    runPlugin(lab, bin, {
      command, containerId: c.id, ifName: 'eth0', netns: extra.netns ?? c.ns.path,
      config: extra.prevResult === undefined ? netconf(lab) : { ...netconf(lab), prevResult: extra.prevResult },
    });
  const gc = (valid: Container[]): Promise<PluginRun> =>
    runPlugin(lab, bin, { command: 'GC', config: { ...netconf(lab), 'cni.dev/valid-attachments': valid.map((c) => ({ containerID: c.id, ifname: 'eth0' })) } });
  const address = (r: PluginRun): string => String(r.json.ips[0].address).split('/')[0] ?? '';

  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  it('DEL releases with a confirmed release after the namespace is gone, and is idempotent', async () => {
    const c = await lab.addContainer();
    const added = await call('ADD', c);
    const ip = address(added);
    expect(await probeLease(lab, ip, GATEWAY)).toMatchObject({ leased: true });
    c.ns.remove();
    const del = await call('DEL', c, { prevResult: added.json, netns: '' });
    expect(del).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(await probeLease(lab, ip, GATEWAY)).toEqual({ leased: false });
    expect(leases()).toEqual([]);
    expect((await call('DEL', c, { netns: '' })).code).toBe(0);
    expect((await call('DEL', c, { prevResult: added.json, netns: '' })).code).toBe(0);
  });

  it('DEL without prevResult finds the address in its record', async () => {
    const c = await lab.addContainer();
    const ip = address(await call('ADD', c));
    expect((await call('DEL', c)).code).toBe(0);
    expect(await probeLease(lab, ip, GATEWAY)).toEqual({ leased: false });
  });

  it('DEL of a never-added attachment, and with no run directory at all, succeeds', async () => {
    const c = await lab.addContainer();
    expect((await call('DEL', c)).code).toBe(0);
    await call('ADD', await lab.addContainer());
    expect((await call('DEL', c)).code).toBe(0);
  });

  it('DEL while dnsmasq is dead edits the lease file; the restarted dnsmasq no longer knows the lease', async () => {
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const ipA = address(await call('ADD', a));
    const ipB = address(await call('ADD', b));
    expect(lab.killDnsmasqs()).toBe(1);
    expect((await call('DEL', a)).code).toBe(0);
    expect(leases().map((l) => l.cniClientId)).toEqual([`cni/${b.id}/eth0`]);
    await call('ADD', await lab.addContainer()); // restarts dnsmasq, leases reloaded
    expect(await probeLease(lab, ipA, GATEWAY)).toEqual({ leased: false });
    expect(await probeLease(lab, ipB, GATEWAY)).toMatchObject({ leased: true });
  });

  it('DEL reports 11 when dnsmasq does not confirm the release', async () => {
    const c = await lab.addContainer();
    const added = await call('ADD', c);
    const pids = dnsmasqPidsUnder(lab.dir);
    expect(pids).toHaveLength(1);
    const pid = pids[0] as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const del = await runPlugin(lab, bin, { command: 'DEL', containerId: c.id, ifName: 'eth0', config: { ...netconf(lab, { ipam: { timeoutMs: 100 } }), prevResult: added.json } });
      expect(del.code).toBe(1);
      expect(del.json).toEqual({ code: 11, msg: `release of ${address(added)} in network dqnet not confirmed by dnsmasq`, details: expect.stringContaining('retry DEL') });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await call('DEL', c, { prevResult: added.json })).code).toBe(0); // the retry succeeds
    expect(await probeLease(lab, address(added), GATEWAY)).toEqual({ leased: false });
  });

  it('CHECK passes for a live lease and names what is wrong otherwise', async () => {
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const addedA = await call('ADD', a);
    const addedB = await call('ADD', b);
    expect(await call('CHECK', a, { prevResult: addedA.json })).toMatchObject({ code: 0, stdout: '' });
    const swapped = await call('CHECK', a, { prevResult: addedB.json });
    expect(swapped.json).toEqual({ code: 104, msg: `${address(addedB)} is leased to another client (cni/${b.id}/eth0)` });
    await call('DEL', b);
    expect((await call('CHECK', b, { prevResult: addedB.json })).json).toEqual({ code: 104, msg: `dnsmasq has no lease for ${address(addedB)}` });
    lab.killDnsmasqs();
    expect((await call('CHECK', a, { prevResult: addedA.json })).json).toEqual({ code: 101, msg: 'dnsmasq for network dqnet is not running', details: expect.stringContaining('dnsmasq.log') });
  });

  it('GC releases stale attachments one by one, keeps valid ones, and stops dnsmasq when nothing is left', async () => {
    const cs = [await lab.addContainer(), await lab.addContainer(), await lab.addContainer(), await lab.addContainer()];
    const ips: string[] = [];
    for (const c of cs) ips.push(address(await call('ADD', c)));
    const [keep1, keep2, stale1] = cs as [Container, Container, Container, Container];
    stale1.ns.remove(); // GC may assume a stale attachment's namespace is gone; the fourth still has one
    const first = await gc([keep1, keep2]);
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(leases().map((l) => l.cniClientId).sort()).toEqual([`cni/${keep1.id}/eth0`, `cni/${keep2.id}/eth0`].sort());
    expect(await probeLease(lab, ips[2] ?? '', GATEWAY)).toEqual({ leased: false });
    expect(await probeLease(lab, ips[3] ?? '', GATEWAY)).toEqual({ leased: false });
    expect(await probeLease(lab, ips[0] ?? '', GATEWAY)).toMatchObject({ leased: true });
    expect(dnsmasqPidsUnder(lab.dir)).toHaveLength(1);

    expect((await gc([])).code).toBe(0);
    expect(leases()).toEqual([]);
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([]); // no dnsmasq once the network has no attachment
    expect((await gc([])).code).toBe(0); // GC of an idle network is a no-op
    const again = await call('ADD', keep1); // the next ADD starts it again
    expect(again.code).toBe(0);
    expect(dnsmasqPidsUnder(lab.dir)).toHaveLength(1);
  });
});
