// Issue 10 item 2: dnsmasq killed (SIGKILL) while containers hold leases. CHECK says so with a CNI error (never a
// hang), STATUS restarts it (or says why not), a new ADD gets a fresh address that no running container holds
// (the leases survive in dnsmasq's lease file), and DEL releases every lease, with dnsmasq up or down again.
// Nothing is left: no record, no lease, no veth. bridge + dnsmasq-ipam as real executables in throwaway namespaces.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Netns } from '../../harness/netns.ts';
import { leaks } from '../harness/leaks.ts';
import { World } from '../harness/world.ts';
import { writeReport } from './report.ts';

it('dnsmasq killed while containers run: CHECK reports it, ADD and STATUS recover, DEL releases everything', async () => {
  await using world = await World.create({ kernel: true });
  const network = `dqk-${world.suffix}`;
  const config = {
    cniVersion: '1.1.0', name: network, type: 'bridge', bridge: `dk${world.suffix}`,
    ipam: { type: 'dnsmasq-ipam', subnet: '10.204.0.0/24', rangeStart: '10.204.0.10', rangeEnd: '10.204.0.20', runDir: world.runDir, dns: { domain: 'dq.test', forward: false } },
  };
  const containers: Record<string, Netns> = {};
  const results: Record<string, unknown> = {};
  const run = async (command: string, id?: string) => {
    // CHECK gets the ADD's result as prevResult, as a runtime passes it
    const stdin = Buffer.from(JSON.stringify(command === 'CHECK' && id ? { ...config, prevResult: results[id] } : config));
    if (id && !containers[id]) containers[id] = await Netns.create('dk');
    const env = id ? { CNI_CONTAINERID: id, CNI_IFNAME: 'eth0', CNI_NETNS: containers[id]!.path } : {};
    const out = await world.run({ plugin: 'bridge', env: { CNI_COMMAND: command, CNI_PATH: world.binDir, ...env }, stdin }, 'exec', 60_000);
    if (command === 'ADD' && id && out.code === 0) results[id] = JSON.parse(out.stdout);
    return out;
  };
  const address = (stdout: string) => (JSON.parse(stdout) as { ips: Array<{ address: string }> }).ips[0]!.address;
  const pidFile = join(world.runDir, network, 'dnsmasq.pid');
  const killDnsmasq = async () => {
    const pid = Number(await readFile(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    while ((await world.host!.exec('kill', ['-0', String(pid)], { allowFail: true })).code === 0) await new Promise((r) => setTimeout(r, 20));
    return pid;
  };
  try {
    const a1 = await run('ADD', 'c1');
    const a2 = await run('ADD', 'c2');
    expect([a1.code, a2.code], a1.stdout + a2.stdout).toEqual([0, 0]);
    expect((await run('CHECK', 'c1')).code).toBe(0);
    const held = [address(a1.stdout), address(a2.stdout)];
    const first = await killDnsmasq();

    const check = await run('CHECK', 'c1');
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ msg: expect.stringMatching(/dnsmasq.*not running/) });

    const a3 = await run('ADD', 'c3'); // restarts dnsmasq, which reloads its leases
    expect(a3.code, a3.stdout).toBe(0);
    expect(held).not.toContain(address(a3.stdout));
    const second = Number(await readFile(pidFile, 'utf8'));
    expect(second).not.toBe(first);
    expect((await run('CHECK', 'c1')).code).toBe(0);

    await killDnsmasq();
    const status = await run('STATUS');
    expect(status.code, status.stdout).toBe(0); // STATUS started it again
    await killDnsmasq();

    // DEL with dnsmasq down (its lease file is edited offline), then with dnsmasq up again.
    const d1 = await run('DEL', 'c1');
    expect(d1.code, d1.stdout).toBe(0);
    const a4 = await run('ADD', 'c4');
    expect(a4.code, a4.stdout).toBe(0);
    for (const id of ['c2', 'c3', 'c4']) {
      const d = await run('DEL', id);
      expect(d.code, `${id}: ${d.stdout}`).toBe(0);
    }
    for (const ns of Object.values(containers)) await ns.destroy();
    const left = await leaks(world, { dnsmasq: true });
    const veths = (await world.worker().links(undefined)).filter((l) => l.kind === 'veth');
    writeReport('faults-dnsmasq-killed', { dnsmasqKills: 3, containers: 4, leftovers: left.length + veths.length });
    expect(left).toEqual([]);
    expect(veths).toEqual([]);
  } finally {
    for (const ns of Object.values(containers)) await ns.destroy();
  }
});
