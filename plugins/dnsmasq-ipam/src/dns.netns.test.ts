// DNS (acceptance 4): a container's name resolves from another container on the network, and stops after DEL.
// Queries go from inside a container namespace to the dnsmasq address; dnsmasq runs with no-resolv (no upstream).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ip } from '@cni-ts/netlink/testing';
import { createLab } from './testing/lab.ts';
import type { Container, Lab } from './testing/lab.ts';
import { queryA } from './testing/dns-query.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';
import type { PluginRun } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('DNS names from dnsmasq', () => {
  let lab: Lab;
  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  /** ADD, then configure the address as the main plugin would (this test has no bridge plugin). */
  async function attach(c: Container, podName: string): Promise<PluginRun> {
    const r = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: c.id, netns: c.ns.path, ifName: 'eth0', args: `IgnoreUnknown=1;K8S_POD_NAME=${podName}` });
    expect(r.code, r.stdout).toBe(0);
    ip(['-n', c.ns.name, 'addr', 'add', r.json.ips[0].address, 'dev', 'eth0']);
    return r;
  }

  it('resolves a container by name and name.domain from another container, and not after DEL', async () => {
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const ra = await attach(a, 'alpha');
    const rb = await attach(b, 'Beta_Pod');
    const ipA = String(ra.json.ips[0].address).split('/')[0];
    const ipB = String(rb.json.ips[0].address).split('/')[0];
    expect(queryA(b.ns, 'alpha.dq.test', GATEWAY)).toEqual({ rcode: 0, answers: [ipA] });
    expect(queryA(b.ns, 'alpha', GATEWAY)).toEqual({ rcode: 0, answers: [ipA] });
    expect(queryA(a.ns, 'beta-pod.dq.test', GATEWAY)).toEqual({ rcode: 0, answers: [ipB] });
    expect(queryA(a.ns, 'example.com', GATEWAY)).toMatchObject({ answers: [] }); // no-resolv: nothing leaves the lab

    const del = await runPlugin(lab, bin, { command: 'DEL', config: { ...netconf(lab), prevResult: ra.json }, containerId: a.id, netns: a.ns.path, ifName: 'eth0' });
    expect(del.code).toBe(0);
    expect(queryA(b.ns, 'alpha.dq.test', GATEWAY)).toEqual({ rcode: 3, answers: [] }); // NXDOMAIN in the local domain
    expect(queryA(b.ns, 'beta-pod.dq.test', GATEWAY)).toEqual({ rcode: 0, answers: [ipB] });
  });

  it('names come back after dnsmasq died and the next ADD restarted it (leases kept)', async () => {
    const [a, b] = [await lab.addContainer(), await lab.addContainer()];
    const ra = await attach(a, 'alpha');
    await attach(b, 'beta');
    const ipA = String(ra.json.ips[0].address).split('/')[0];
    expect(lab.killDnsmasqs()).toBe(1);
    expect(queryA(b.ns, 'alpha.dq.test', GATEWAY, 1000)).toEqual({ timeout: true }); // DNS is down
    const c = await lab.addContainer();
    await attach(c, 'gamma'); // restarts dnsmasq
    expect(queryA(b.ns, 'alpha.dq.test', GATEWAY)).toEqual({ rcode: 0, answers: [ipA] });
    const again = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab), containerId: a.id, netns: a.ns.path, ifName: 'eth0', args: 'K8S_POD_NAME=alpha' });
    expect(again.json.ips[0].address).toBe(ra.json.ips[0].address); // a re-ADD gets its old address back
  });
});
