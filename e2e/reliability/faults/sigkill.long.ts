// Issue 10 item 2: ADD killed with SIGKILL at random points (200 trials), then the runtime's DEL. Whatever the
// moment of death (before the bridge exists, between the veth and the IPAM call, while host-local holds its lock,
// while iptables-restore or nft runs), DEL succeeds and nothing is left: no veth, no reservation (nor temporary
// file), no masquerade or spoof-check rule. The real executables run in throwaway namespaces.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { leaks } from '../harness/leaks.ts';
import { execAndKill } from '../harness/targets.ts';
import { World } from '../harness/world.ts';
import { median, writeReport } from './report.ts';

const TRIALS = Number(process.env.CNI_TS_FAULT_TRIALS ?? 200);

it(`${TRIALS} ADDs killed at random points, each followed by DEL, leave nothing behind`, async () => {
  await using world = await World.create({ kernel: true });
  const network = `kill-${world.suffix}`;
  const bridge = `kb${world.suffix}`;
  const hostLocal = (dual: boolean) => ({ type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.99.0.0/24' }], ...(dual ? [[{ subnet: 'fd99::/120' }]] : [])] });
  const configs = [
    { cniVersion: '1.0.0', name: network, type: 'bridge', bridge, isGateway: true, ipMasq: true, ipMasqBackend: 'iptables', ipam: hostLocal(true) },
    { cniVersion: '1.1.0', name: network, type: 'bridge', bridge, isGateway: true, ipMasq: true, ipMasqBackend: 'nftables', macspoofchk: true, ipam: hostLocal(false) },
    { cniVersion: '0.4.0', name: network, type: 'bridge', bridge, isDefaultGateway: true, ipMasq: true, ipam: hostLocal(true) },
  ];
  const bin = join(world.binDir, 'bridge');
  const env = (i: number, command: string) => ({
    CNI_COMMAND: command, CNI_CONTAINERID: `killed-${i}`, CNI_NETNS: world.container!.path, CNI_IFNAME: 'eth0', CNI_PATH: world.binDir,
  });
  const scope = { hostLocal: true, kernel: true, firewall: true };

  // How long an undisturbed ADD takes here: the kill points are spread over 0-120 % of it.
  const durations: number[] = [];
  for (let i = 0; i < 5; i++) {
    const stdin = Buffer.from(JSON.stringify(configs[i % configs.length]));
    const r = await execAndKill(bin, { plugin: 'bridge', env: env(-1 - i, 'ADD'), stdin }, { netns: world.host!.name, killAfterMs: 60_000 });
    expect(r.code).toBe(0);
    durations.push(r.ms);
    await world.run({ plugin: 'bridge', env: env(-1 - i, 'DEL'), stdin }, 'exec', 30_000);
  }
  expect(await leaks(world, scope)).toEqual([]);
  const addMs = median(durations);

  const failures: string[] = [];
  let killed = 0;
  const killPoints: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const stdin = Buffer.from(JSON.stringify(configs[i % configs.length]));
    const killAfterMs = Math.random() * addMs * 1.2;
    const r = await execAndKill(bin, { plugin: 'bridge', env: env(i, 'ADD'), stdin }, { netns: world.host!.name, killAfterMs });
    if (r.killed) {
      killed++;
      killPoints.push(Math.round(killAfterMs));
    }
    const del = await world.run({ plugin: 'bridge', env: env(i, 'DEL'), stdin }, 'exec', 30_000);
    if (del.code !== 0) failures.push(`trial ${i} (killed at ${Math.round(killAfterMs)} ms): DEL failed: ${del.stdout}`);
    const left = await leaks(world, scope);
    if (left.length > 0) {
      failures.push(`trial ${i} (killed at ${Math.round(killAfterMs)} ms, ${r.killed ? 'killed' : `finished with ${r.code}`}): ${left.join('; ')}`);
      await world.renewContainer();
    }
  }
  writeReport('faults-sigkill', { trials: TRIALS, killedMidAdd: killed, finishedBeforeKill: TRIALS - killed, medianAddMs: Math.round(addMs), killPointsMs: { min: Math.min(...killPoints), median: median(killPoints), max: Math.max(...killPoints) }, failures: failures.length });
  expect(failures).toEqual([]);
  // Not vacuous: most trials really died mid-ADD.
  expect(killed).toBeGreaterThan(TRIALS * 0.6);
});
