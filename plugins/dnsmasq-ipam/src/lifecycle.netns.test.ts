// dnsmasq lifecycle (acceptance 2 and 7): one per network, started under the lock by the first ADD, restarted
// with its leases on a config change or after dying, never holding the plugin's lock, one start for 32 racing ADDs.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLeaseFile } from './dnsmasq/lease-file.ts';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Lab } from './testing/lab.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('dnsmasq lifecycle', () => {
  let lab: Lab;
  const run = (): string => `${lab.dir}/run/dqnet`;
  const pidFile = (): number => Number(readFileSync(`${run()}/dnsmasq.pid`, 'utf8'));
  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  it('restarts dnsmasq with the new config when the netconf changes, keeping the leases', async () => {
    const a = await lab.addContainer();
    const first = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: a.id, netns: a.ns.path, ifName: 'eth0' });
    const before = pidFile();
    const b = await lab.addContainer();
    const changed = netconf(lab, { ipam: { rangeEnd: '10.204.0.240' } });
    expect((await runPlugin(lab, bin, { command: 'ADD', config: changed, containerId: b.id, netns: b.ns.path, ifName: 'eth0' })).code).toBe(0);
    expect(pidFile()).not.toBe(before);
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([pidFile()]);
    expect(readFileSync(`${run()}/dnsmasq.conf`, 'utf8')).toContain('dhcp-range=10.204.0.10,10.204.0.240,255.255.255.0,infinite');
    expect(parseLeaseFile(readFileSync(`${run()}/leases`, 'utf8'))).toHaveLength(2);
    const again = await runPlugin(lab, bin, { command: 'ADD', config: changed, containerId: a.id, netns: a.ns.path, ifName: 'eth0' });
    expect(again.json.ips[0].address).toBe(first.json.ips[0].address);
  });

  it('dnsmasq inherits no descriptor of the plugin (it would hold the network lock forever)', async () => {
    const c = await lab.addContainer();
    expect((await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0' })).code).toBe(0);
    const fds = readdirSync(`/proc/${pidFile()}/fd`).map((fd) => { try { return readlinkSync(`/proc/${pidFile()}/fd/${fd}`); } catch { return ''; } });
    expect(fds.filter((target) => target.startsWith(lab.dir)).sort()).toEqual([`${run()}/dnsmasq.log`, `${run()}/leases`]);
  });

  it('STATUS is ready while dnsmasq runs, and starts it when it is down', async () => {
    const c = await lab.addContainer();
    await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
    expect(await runPlugin(lab, bin, { command: 'STATUS', config: netconf(lab) })).toMatchObject({ code: 0, stdout: '' });
    lab.killDnsmasqs();
    expect(await runPlugin(lab, bin, { command: 'STATUS', config: netconf(lab) })).toMatchObject({ code: 0, stdout: '' });
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([pidFile()]);
  });

  it('32 parallel ADDs get 32 unique addresses from a single dnsmasq start', async () => {
    const containers = await Promise.all(Array.from({ length: 32 }, () => lab.addContainer()));
    const results = await Promise.all(containers.map((c) =>
      runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0', env: { CNI_TS_LOG_LEVEL: 'info' } })));
    expect(results.map((r) => r.code)).toEqual(Array(32).fill(0));
    const addresses = new Set(results.map((r) => r.json.ips[0].address));
    expect(addresses.size).toBe(32);
    const starts = results.filter((r) => r.stderr.includes('started dnsmasq'));
    expect(starts).toHaveLength(1);
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([pidFile()]);
    expect(parseLeaseFile(readFileSync(`${run()}/leases`, 'utf8'))).toHaveLength(32);
  }, 120_000);
});
