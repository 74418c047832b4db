// Issue 10 item 2: GC removes what interrupted ADDs left even though no DEL ever came (the runtime crashed and lost
// its state, checklist 8 #1). Each killed ADD had its own container namespace, which the runtime then deleted (its
// veth went with it); one container stays alive. One GC naming only the live attachment must leave exactly the
// live container's reservation and rules, and its DEL must then leave nothing at all.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Netns } from '../../harness/netns.ts';
import { leaks } from '../harness/leaks.ts';
import { execAndKill } from '../harness/targets.ts';
import { World } from '../harness/world.ts';
import { median, writeReport } from './report.ts';

const TRIALS = Number(process.env.CNI_TS_FAULT_GC_TRIALS ?? 50);

it(`GC after ${TRIALS} killed ADDs without DEL removes every reservation and rule but the live container's`, async () => {
  await using world = await World.create({ kernel: true });
  const network = `gck-${world.suffix}`;
  const config = (backend: string) => ({
    cniVersion: '1.1.0', name: network, type: 'bridge', bridge: `gk${world.suffix}`, isGateway: true, ipMasq: true, ipMasqBackend: backend, macspoofchk: backend === 'nftables',
    ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.99.0.0/24' }], [{ subnet: 'fd99::/120' }]] },
  });
  const bin = join(world.binDir, 'bridge');
  const env = (id: string, netns: string, command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: netns, CNI_IFNAME: 'eth0', CNI_PATH: world.binDir });
  const run = (command: string, id: string, netns: string, conf: object) =>
    world.run({ plugin: 'bridge', env: env(id, netns, command), stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 30_000);

  // How long an undisturbed ADD takes here: the kill points are spread over 0-100 % of it.
  const probe = await Netns.create('gk');
  const durations: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const r = await execAndKill(bin, { plugin: 'bridge', env: env(`probe-${i}`, probe.path, 'ADD'), stdin: Buffer.from(JSON.stringify(config('nftables'))) }, { netns: world.host!.name, killAfterMs: 60_000 });
      durations.push(r.ms);
      await run('DEL', `probe-${i}`, probe.path, config('nftables'));
    }
  } finally {
    await probe.destroy();
  }
  const addMs = median(durations);

  for (const backend of ['iptables', 'nftables']) {
    // The live container: its state must survive GC.
    const live = await run('ADD', `live-${backend}`, world.container!.path, config(backend));
    expect(live.code, live.stdout).toBe(0);
    const before = await leaks(world, { hostLocal: true, kernel: true, firewall: true });

    let killed = 0;
    const timings: number[] = [];
    for (let i = 0; i < TRIALS; i++) {
      const ns = await Netns.create('gk');
      try {
        const killAfterMs = Math.random() * addMs;
        const r = await execAndKill(bin, { plugin: 'bridge', env: env(`dead-${backend}-${i}`, ns.path, 'ADD'), stdin: Buffer.from(JSON.stringify(config(backend))) }, { netns: world.host!.name, killAfterMs });
        if (r.killed) killed++;
        timings.push(killAfterMs);
      } finally {
        await ns.destroy(); // the runtime removes the dead pod's namespace, and never calls DEL
      }
    }
    const debris = (await leaks(world, { hostLocal: true, firewall: true })).filter((l) => !before.includes(l));
    const gc = await run('GC', '', '', { ...config(backend), 'cni.dev/valid-attachments': [{ containerID: `live-${backend}`, ifname: 'eth0' }] });
    expect(gc.code, gc.stdout).toBe(0);
    const after = await leaks(world, { hostLocal: true, kernel: true, firewall: true });
    writeReport(`faults-gc-${backend}`, { trials: TRIALS, killedMidAdd: killed, leftoversBeforeGc: debris.length, leftoversAfterGc: after.filter((l) => !before.includes(l)).length, medianKillMs: Math.round(median(timings)) });
    expect(after.sort()).toEqual([...before].sort()); // only the live container's reservation(s) and rules
    expect(debris.length).toBeGreaterThan(0); // not vacuous: the killed ADDs did leave something for GC
    expect(killed).toBeGreaterThan(TRIALS / 2);

    const del = await run('DEL', `live-${backend}`, world.container!.path, config(backend));
    expect(del.code, del.stdout).toBe(0);
    expect(await leaks(world, { hostLocal: true, kernel: true, firewall: true })).toEqual([]);
  }
});
