// Every failure mode of acceptance 6 (and STATUS, acceptance 5), each provoked for real inside throwaway namespaces.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLab, dnsmasqPidsUnder } from './testing/lab.ts';
import type { Container, Lab } from './testing/lab.ts';
import { GATEWAY, netconf } from './testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from './testing/plugin-bin.ts';
import { runPlugin } from './testing/run-plugin.ts';

let bin = '';
beforeAll(async () => { bin = await buildPlugins(['dnsmasq-ipam']); });
afterAll(() => removeBuiltPlugins());

describe('failure modes', () => {
  let lab: Lab;
  const add = (c: Container, ipam: Record<string, unknown> = {}, top: Record<string, unknown> = {}) =>
    runPlugin(lab, bin, { command: 'ADD', config: netconf(lab, { ipam, top }), containerId: c.id, netns: c.ns.path, ifName: 'eth0' });
  const status = (ipam: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => runPlugin(lab, bin, { command: 'STATUS', config: netconf(lab, { ipam, top }) });

  beforeEach(async () => { lab = await createLab({ bridgeAddress: `${GATEWAY}/24` }); });
  afterEach(async () => {
    lab.killDnsmasqs();
    await lab.close();
  });

  it('dnsmasq not installed: ADD 100, STATUS 50, with the install hint', async () => {
    const missing = { dnsmasqPath: `${lab.dir}/no/dnsmasq` };
    const details = `ipam.dnsmasqPath "${lab.dir}/no/dnsmasq" does not exist or is not executable; install dnsmasq (Debian/Ubuntu: apt-get install dnsmasq-base; Fedora/RHEL: dnf install dnsmasq) or set ipam.dnsmasqPath`;
    expect((await add(await lab.addContainer(), missing)).json).toEqual({ code: 100, msg: 'dnsmasq-ipam: dnsmasq binary not found', details });
    expect((await status(missing)).json).toEqual({ code: 50, msg: 'dnsmasq-ipam: dnsmasq binary not found', details });
  });

  it('dnsmasq cannot start (port 53 taken): ADD 101 with dnsmasq\'s own message, STATUS 50', async () => {
    const squatter = await holdPort53(lab);
    try {
      const r = await add(await lab.addContainer());
      expect(r.code).toBe(1);
      expect(r.json).toEqual({
        code: 101, msg: 'dnsmasq failed to start (exit 2)',
        details: expect.stringMatching(/^dnsmasq: failed to create listening socket for 10\.204\.0\.1: Address already in use; .*ipam\.dns\.enable=false$/),
      });
      expect((await status()).json).toMatchObject({ code: 50, msg: 'dnsmasq failed to start (exit 2)', details: expect.stringContaining('Address already in use') });
      expect(dnsmasqPidsUnder(lab.dir)).toEqual([]);
      // With DNS off, the same network starts (the hint works).
      expect((await add(await lab.addContainer(), { dns: { enable: false } })).code).toBe(0);
    } finally {
      squatter.kill('SIGKILL');
    }
  });

  it('bridge missing: ADD 100; STATUS succeeds (the bridge plugin creates it on the first ADD)', async () => {
    const top = { bridge: 'nosuchbr0' };
    expect((await add(await lab.addContainer(), {}, top)).json).toEqual({ code: 100, msg: 'interface nosuchbr0 not found', details: expect.any(String) });
    expect(await status({}, top)).toMatchObject({ code: 0, stdout: '' });
  });

  it('pool exhausted: ADD 102 with the diagnosis, STATUS 50', async () => {
    const ipam = { rangeStart: '10.204.0.10', rangeEnd: '10.204.0.11' };
    expect((await add(await lab.addContainer(), ipam)).code).toBe(0);
    expect((await status(ipam)).code).toBe(0);
    expect((await add(await lab.addContainer(), ipam)).code).toBe(0);
    const c = await lab.addContainer();
    expect((await add(c, { ...ipam, timeoutMs: 200, attempts: 1 })).json).toEqual({ code: 102, msg: `no DHCP reply on dqbr0 for ${c.id}/eth0: address pool 10.204.0.10-10.204.0.11 exhausted (2/2 leased)` });
    expect((await status(ipam)).json).toEqual({ code: 50, msg: 'address pool 10.204.0.10-10.204.0.11 exhausted (2/2 leased)' });
  });

  it('no answer within the timeout: dnsmasq hung (F6) and a firewall on the bridge (F5)', async () => {
    const ipam = { timeoutMs: 150, attempts: 2 }; // for the calls that must fail; the first one must not
    expect((await add(await lab.addContainer())).code).toBe(0);
    const [pid] = dnsmasqPidsUnder(lab.dir);
    expect(pid).toBeGreaterThan(1);
    process.kill(pid as number, 'SIGSTOP');
    const hung = await lab.addContainer();
    try {
      const started = Date.now();
      const r = await add(hung, ipam);
      expect(r.json).toEqual({ code: 102, msg: `no DHCP reply on dqbr0 for ${hung.id}/eth0: dnsmasq did not answer; see ${lab.dir}/run/dqnet/dnsmasq.log` });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300); // both attempts waited
    } finally {
      process.kill(pid as number, 'SIGCONT');
    }
    lab.hostExec(['nft', '-f', '-'], { input: 'table inet dqtest {\n chain input {\n  type filter hook input priority 0;\n  iifname "dqbr0" udp dport 67 drop\n }\n}\n' });
    const blocked = await lab.addContainer();
    expect((await add(blocked, ipam)).json).toEqual({
      code: 102, msg: `no DHCP reply on dqbr0 for ${blocked.id}/eth0: dnsmasq answers locally but not from dqbr0: check INPUT rules for udp/67 (and 53) on dqbr0`,
    });
  });

  it('a second network on the same bridge is refused (F10, code 7)', async () => {
    expect((await add(await lab.addContainer())).code).toBe(0);
    const other = await runPlugin(lab, bin, { command: 'ADD', config: netconf(lab, { name: 'othernet' }), containerId: 'x1', netns: (await lab.addContainer()).ns.path, ifName: 'eth0' });
    expect(other.json).toEqual({ code: 7, msg: 'interface dqbr0 already served by network dqnet', details: expect.any(String) });
    expect(dnsmasqPidsUnder(lab.dir)).toHaveLength(1);
  });
});

/** A process holding 0.0.0.0:53 (UDP and TCP) in the lab's host namespace, as another DNS server would. */
async function holdPort53(lab: Lab): Promise<ChildProcess> {
  const script = "const d=require('dgram').createSocket('udp4');d.bind(53,'0.0.0.0',()=>{require('net').createServer().listen(53,'0.0.0.0',()=>process.stdout.write('ready\\n'))})";
  const child = spawn('ip', ['netns', 'exec', lab.host.name, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`port 53 holder exited with ${code}`)));
  });
  return child;
}
