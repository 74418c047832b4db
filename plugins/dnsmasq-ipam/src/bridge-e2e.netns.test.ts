// Acceptance 8, end to end with our bridge plugin: two containers wired by `bridge` get their addresses from
// dnsmasq-ipam (as its IPAM delegate), ping each other, and resolve each other's names.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TempNetns } from '@cni-ts/netlink/testing';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Lab } from './testing/lab.ts';
import { queryA } from './testing/dns-query.ts';
import { GATEWAY, SUBNET } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';
import type { PluginRun } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam', 'bridge']); });
afterAll(() => removeBuiltPlugins());

describe('bridge + dnsmasq-ipam', () => {
  let lab: Lab;
  beforeEach(async () => { lab = await createLab({ bridge: false }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  const conflist = (): Record<string, unknown> => ({
    cniVersion: '1.1.0', name: 'dqe2e', type: 'bridge', bridge: 'dqe2ebr0', isGateway: true,
    ipam: { type: 'dnsmasq-ipam', subnet: SUBNET, dns: { domain: 'dq.test', forward: false }, runDir: `${lab.dir}/run` },
  });
  const bridge = (command: 'ADD' | 'CHECK' | 'DEL', ns: TempNetns, id: string, extra: { args?: string; prevResult?: unknown } = {}): Promise<PluginRun> =>
    runPlugin(lab, bin, {
      plugin: 'bridge', command, containerId: id, netns: ns.path, ifName: 'eth0',
      config: extra.prevResult === undefined ? conflist() : { ...conflist(), prevResult: extra.prevResult },
      ...(extra.args === undefined ? {} : { args: extra.args }),
    });
  const ping = (from: TempNetns, to: string): void => {
    execFileSync('ip', ['netns', 'exec', from.name, 'ping', '-c', '1', '-W', '2', to], { stdio: 'ignore' });
  };

  it('two containers get addresses, ping each other, resolve each other, and are cleaned up', async () => {
    const [web, db] = [await lab.addNamespace(), await lab.addNamespace()];
    const addWeb = await bridge('ADD', web, 'ctr-web', { args: 'IgnoreUnknown=1;K8S_POD_NAME=web' });
    expect(addWeb.code, addWeb.stdout + addWeb.stderr).toBe(0);
    const addDb = await bridge('ADD', db, 'ctr-db', { args: 'IgnoreUnknown=1;K8S_POD_NAME=db' });
    expect(addDb.code, addDb.stdout + addDb.stderr).toBe(0);
    const ipOf = (r: PluginRun): string => String(r.json.ips[0].address).split('/')[0] ?? '';
    const [ipWeb, ipDb] = [ipOf(addWeb), ipOf(addDb)];
    expect(addWeb.json.ips[0]).toMatchObject({ address: expect.stringMatching(/^10\.204\.0\.\d+\/24$/), gateway: GATEWAY, interface: 2 });
    expect(addWeb.json.dns).toEqual({ nameservers: [GATEWAY], domain: 'dq.test', search: ['dq.test'] });
    expect(ipWeb).not.toBe(ipDb);

    ping(web, ipDb);
    ping(db, ipWeb);
    ping(web, GATEWAY);
    expect(queryA(web, 'db.dq.test', GATEWAY)).toEqual({ rcode: 0, answers: [ipDb] });
    expect(queryA(db, 'web', GATEWAY)).toEqual({ rcode: 0, answers: [ipWeb] });

    expect(await bridge('CHECK', web, 'ctr-web', { prevResult: addWeb.json })).toMatchObject({ code: 0, stdout: '' });
    expect((await bridge('DEL', web, 'ctr-web', { prevResult: addWeb.json })).code).toBe(0);
    expect(queryA(db, 'web.dq.test', GATEWAY)).toEqual({ rcode: 3, answers: [] });
    expect((await bridge('DEL', db, 'ctr-db', { prevResult: addDb.json })).code).toBe(0);

    const gc = await runPlugin(lab, bin, { plugin: 'bridge', command: 'GC', config: { ...conflist(), 'cni.dev/valid-attachments': [] } });
    expect(gc.code, gc.stdout).toBe(0);
    expect(dnsmasqPidsUnder(lab.dir)).toEqual([]);
  });
});
