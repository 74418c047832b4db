// manageDnsmasq: false — an operator-run DHCP server (here a dnsmasq the fixture starts itself, without rapid
// commit): the plugin only speaks DHCP, falls back to DISCOVER/OFFER/REQUEST/ACK, and refuses finite leases.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Lab } from './testing/lab.ts';
import { probeLease } from './testing/host-probe.ts';
import { startNakServer } from './testing/nak-server.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('operator-run DHCP server (manageDnsmasq: false)', () => {
  let lab: Lab;
  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  function operatorDnsmasq(leaseTime: string): void {
    const conf = `${lab.dir}/operator.conf`;
    writeFileSync(conf, [
      'interface=dqbr0', 'except-interface=lo', 'bind-dynamic', 'port=0', 'no-ping', 'dhcp-broadcast',
      `dhcp-range=10.204.0.100,10.204.0.120,255.255.255.0,${leaseTime}`, `dhcp-leasefile=${lab.dir}/operator.leases`, `pid-file=${lab.dir}/operator.pid`, '',
    ].join('\n'));
    lab.hostExec(['/usr/sbin/dnsmasq', `--conf-file=${conf}`]);
  }
  const config = () => netconf(lab, { ipam: { manageDnsmasq: false, timeoutMs: 2000, attempts: 2 } });

  it('leases through the 4-way exchange, and CHECK, STATUS and DEL work against it', async () => {
    operatorDnsmasq('infinite');
    const c = await lab.addContainer();
    const add = await runPlugin(lab, bin, { command: 'ADD', config: config(), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
    expect(add.code, add.stdout).toBe(0);
    expect(add.json.ips).toEqual([{ address: expect.stringMatching(/^10\.204\.0\.(1[01]\d|120)\/24$/), gateway: GATEWAY }]);
    const ip = String(add.json.ips[0].address).split('/')[0] ?? '';
    expect(await runPlugin(lab, bin, { command: 'CHECK', config: { ...config(), prevResult: add.json }, containerId: c.id, netns: c.ns.path, ifName: 'eth0' })).toMatchObject({ code: 0 });
    expect(await runPlugin(lab, bin, { command: 'STATUS', config: config() })).toMatchObject({ code: 0 });
    expect(await runPlugin(lab, bin, { command: 'DEL', config: { ...config(), prevResult: add.json }, containerId: c.id, netns: c.ns.path, ifName: 'eth0' })).toMatchObject({ code: 0 });
    expect(await probeLease(lab, ip, GATEWAY)).toEqual({ leased: false });
    expect(dnsmasqPidsUnder(`${lab.dir}/run`)).toEqual([]); // the plugin started nothing
  });

  it('refuses a finite lease (103) and gives it back', async () => {
    operatorDnsmasq('1h');
    const c = await lab.addContainer();
    const add = await runPlugin(lab, bin, { command: 'ADD', config: config(), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
    expect(add.json).toEqual({ code: 103, msg: expect.stringMatching(/^unusable DHCP lease: 10\.204\.0\.\d+ was leased for 3600 s; dnsmasq-ipam needs infinite leases/) });
    const ip = /(10\.204\.0\.\d+)/.exec(String(add.json.msg))?.[1] ?? '';
    expect(await probeLease(lab, ip, GATEWAY)).toEqual({ leased: false }); // the rollback released it
    expect(readFileSync(`${lab.dir}/operator.leases`, 'utf8')).toBe('');
  });

  it('gives up with 105 when the server keeps refusing (NAK on every attempt)', async () => {
    const server = await startNakServer(lab);
    try {
      const c = await lab.addContainer();
      const add = await runPlugin(lab, bin, { command: 'ADD', config: config(), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
      expect(add.json).toEqual({ code: 105, msg: 'DHCP server on dqbr0 refused the lease 2 times', details: 'last NAK: address in use' });
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('STATUS is 50 when the server does not answer', async () => {
    expect((await runPlugin(lab, bin, { command: 'STATUS', config: config() })).json).toEqual({ code: 50, msg: `the DHCP server at ${GATEWAY} on dqbr0 does not answer` });
  });
});
