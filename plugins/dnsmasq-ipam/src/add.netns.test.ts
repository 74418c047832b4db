// ADD against a real dnsmasq started by the plugin, everything inside throwaway namespaces (acceptance 2, 3).
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ipJson } from '@cni-ts/netlink/testing';
import { parseLeaseFile } from './dnsmasq/lease-file.ts';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Lab } from './testing/lab.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('ADD', () => {
  let lab: Lab;
  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([]);
  });

  it('starts dnsmasq bound to the bridge only, leases with rapid commit, and re-ADD gets the same address', async () => {
    const c = await lab.addContainer();
    const call = { command: 'ADD' as const, config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0', args: 'K8S_POD_NAME=Web_1' };
    const first = await runPlugin(lab, bin, call);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.json).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: expect.stringMatching(/^10\.204\.0\.\d+\/24$/), gateway: GATEWAY }],
      dns: { nameservers: [GATEWAY], domain: 'dq.test', search: ['dq.test'] },
    });
    const run = `${lab.dir}/run/dqnet`;
    const pid = Number(readFileSync(`${run}/dnsmasq.pid`, 'utf8'));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain(`--conf-file=${run}/dnsmasq.conf`);
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([pid]);
    // DHCP only on the bridge (SO_BINDTODEVICE), DNS only on the bridge's address.
    const sockets = lab.hostExec(['ss', '-lunpH']);
    expect(sockets).toMatch(/0\.0\.0\.0%dqbr0:67\b/);
    expect(sockets).toMatch(/10\.204\.0\.1:53\b/);
    expect(sockets).not.toMatch(/\*:53\b|0\.0\.0\.0:53\b/);

    const leases = parseLeaseFile(readFileSync(`${run}/leases`, 'utf8'));
    expect(leases).toEqual([expect.objectContaining({ expiry: 0, hostname: 'web-1', cniClientId: `cni/${c.id}/eth0`, mac: c.mac })]);
    const record = JSON.parse(readFileSync(`${run}/attachments/${c.id}_eth0.json`, 'utf8'));
    expect(record).toMatchObject({ containerId: c.id, ifName: 'eth0', address: first.json.ips[0].address.split('/')[0], prefix: 24, mac: c.mac, hostname: 'web-1' });

    const again = await runPlugin(lab, bin, call);
    expect(again.code).toBe(0);
    expect(again.json.ips[0].address).toBe(first.json.ips[0].address);
    expect(Number(readFileSync(`${run}/dnsmasq.pid`, 'utf8'))).toBe(pid); // not restarted
  });

  it('prints the result in every cniVersion', async () => {
    const shapes: Record<string, unknown> = {};
    for (const version of ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']) {
      const c = await lab.addContainer();
      const r = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab, { cniVersion: version, ipam: { routes: [{ dst: '0.0.0.0/0' }] } }), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
      expect(r.code, r.stdout).toBe(0);
      shapes[version] = JSON.parse(r.stdout.replace(/10\.204\.0\.\d+\/24/, 'IP/24'));
    }
    const dns = { nameservers: [GATEWAY], domain: 'dq.test', search: ['dq.test'] };
    const route = { dst: '0.0.0.0/0', gw: GATEWAY };
    const legacy = (v: string) => ({ cniVersion: v, ip4: { ip: 'IP/24', gateway: GATEWAY, routes: [route] }, dns });
    const v4 = (v: string) => ({ cniVersion: v, ips: [{ version: '4', address: 'IP/24', gateway: GATEWAY }], routes: [route], dns });
    const v1 = (v: string) => ({ cniVersion: v, ips: [{ address: 'IP/24', gateway: GATEWAY }], routes: [route], dns });
    expect(shapes).toEqual({
      '0.1.0': legacy('0.1.0'), '0.2.0': legacy('0.2.0'), '0.3.0': v4('0.3.0'), '0.3.1': v4('0.3.1'), '0.4.0': v4('0.4.0'),
      '1.0.0': v1('1.0.0'), '1.1.0': v1('1.1.0'),
    });
  });

  it('adds the gateway address to a bridge that has none (F1)', async () => {
    await lab.close();
    lab = await createLab();
    const c = await lab.addContainer();
    const r = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
    expect(r.code, r.stdout).toBe(0);
    const [bridge] = ipJson<Array<{ addr_info: Array<{ local: string; prefixlen: number; family: string }> }>>(['-n', lab.host.name, 'addr', 'show', lab.bridge]);
    expect(bridge?.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`)).toEqual([`${GATEWAY}/24`]);
  });

  it('gets a requested address, and fails with 104 (and releases) when it is taken', async () => {
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const config = netconf(lab, { top: { runtimeConfig: { ips: ['10.204.0.77/24'] } } });
    const ra = await runPlugin(lab, bin, { command: 'ADD', config, containerId: a.id, netns: a.ns.path, ifName: 'eth0' });
    expect(ra.json.ips[0].address).toBe('10.204.0.77/24');
    const rb = await runPlugin(lab, bin, { command: 'ADD', config, containerId: b.id, netns: b.ns.path, ifName: 'eth0' });
    expect(rb.code).toBe(1);
    expect(rb.json).toEqual({ code: 104, msg: 'requested IP 10.204.0.77 unavailable', details: expect.stringMatching(/^dnsmasq offered 10\.204\.0\.\d+ instead/) });
    const leases = parseLeaseFile(readFileSync(`${lab.dir}/run/dqnet/leases`, 'utf8'));
    expect(leases.map((l) => l.cniClientId)).toEqual([`cni/${a.id}/eth0`]); // b's accidental lease was released
  });

  it('fails with 100 when the container interface does not exist', async () => {
    const c = await lab.addContainer();
    const r = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth9' });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ code: 100, msg: `interface eth9 not found in ${c.ns.path}` });
  });
});
