// Issue 10 item 2: the xtables lock held by another process (kube-proxy, checklist 8 #7). With iptables-legacy
// (iptables-nft, this machine's default, takes no lock at all), ADD waits a bounded time (iptables -w 10) and then
// fails with code 11 (try again later), leaving nothing behind; DEL under the held lock is 11 as well, and both
// succeed once the lock is free. The lock is a test file named by XTABLES_LOCKFILE (honoured by iptables >= 1.8.6):
// the machine's /run/xtables.lock is never touched.
import { spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { hostLocalLeaks } from '../harness/leaks.ts';
import { PLUGIN_PATH } from '../harness/targets.ts';
import { World } from '../harness/world.ts';
import { writeReport } from './report.ts';

/** `flock -x <file> sleep` until released: another process holding the xtables lock. */
async function holdLock(file: string): Promise<{ release(): Promise<void> }> {
  // Its own process group: the lock is held by the `sleep` flock forks, which must die with it.
  const child = spawn('flock', ['-x', file, 'sleep', '600'], { stdio: 'ignore', detached: true });
  // wait until the lock is really held (a non-blocking attempt fails)
  for (;;) {
    const probe = spawn('flock', ['-n', file, 'true'], { stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => probe.on('exit', r));
    if (code !== 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    release: async () => {
      const exited = new Promise((r) => child.on('exit', r));
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

it('a held xtables lock: ADD waits a bounded time, fails with code 11 and leaves nothing; DEL is 11 too; both work once it is free', async () => {
  await using world = await World.create({ kernel: true });
  const legacy = join(world.dir, 'legacy-bin');
  await mkdir(legacy);
  for (const tool of ['iptables', 'iptables-restore', 'iptables-save', 'ip6tables', 'ip6tables-restore', 'ip6tables-save']) {
    await symlink(`/usr/sbin/${tool.replace(/^(ip6?tables)/, '$1-legacy')}`, join(legacy, tool));
  }
  const lockFile = join(world.dir, 'xtables.lock');
  await writeFile(lockFile, '');
  const network = `xl-${world.suffix}`;
  const stdin = Buffer.from(JSON.stringify({
    cniVersion: '1.0.0', name: network, type: 'bridge', bridge: `xl${world.suffix}`, isGateway: true, ipMasq: true, ipMasqBackend: 'iptables',
    ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.99.0.0/24' }]] },
  }));
  const run = (command: string) =>
    world.run({
      plugin: 'bridge',
      env: {
        CNI_COMMAND: command, CNI_CONTAINERID: 'xl1', CNI_NETNS: world.container!.path, CNI_IFNAME: 'eth0', CNI_PATH: world.binDir,
        PATH: `${legacy}:${PLUGIN_PATH}`, XTABLES_LOCKFILE: lockFile,
      },
      stdin,
    }, 'exec', 60_000);
  const legacyNat = async () => (await world.host!.exec(join(legacy, 'iptables-save'), ['-t', 'nat'])).stdout.split('\n').filter((l) => l.startsWith('-A ') || l.startsWith(':CNI-'));
  const veths = async () => (await world.worker().links(undefined)).filter((l) => l.kind === 'veth').map((l) => l.name);

  let lock = await holdLock(lockFile);
  const blockedAdd = await run('ADD');
  await lock.release();
  expect(blockedAdd.code).toBe(1);
  expect(JSON.parse(blockedAdd.stdout)).toMatchObject({ code: 11, msg: expect.stringContaining('xtables lock') });
  expect(blockedAdd.ms).toBeGreaterThan(9_000); // it waited (iptables -w 10) ...
  expect(blockedAdd.ms).toBeLessThan(30_000); // ... a bounded time
  expect({ veths: await veths(), reservations: await hostLocalLeaks(world.dataDir), rules: await legacyNat() }).toEqual({ veths: [], reservations: [], rules: [] });

  const add = await run('ADD');
  expect(add.code, add.stdout).toBe(0);
  expect((await legacyNat()).some((l) => l.includes('MASQUERADE'))).toBe(true); // the rules went to the legacy tables

  lock = await holdLock(lockFile);
  const blockedDel = await run('DEL');
  await lock.release();
  expect(blockedDel.code).toBe(1);
  expect(JSON.parse(blockedDel.stdout)).toMatchObject({ code: 11 });

  const del = await run('DEL');
  expect(del.code, del.stdout).toBe(0);
  expect({ veths: await veths(), reservations: await hostLocalLeaks(world.dataDir), rules: await legacyNat() }).toEqual({ veths: [], reservations: [], rules: [] });
  writeReport('faults-xtables-lock', { blockedAddMs: Math.round(blockedAdd.ms), blockedAddCode: 11, blockedDelMs: Math.round(blockedDel.ms), blockedDelCode: 11, leftovers: 0 });
});
