// Issue 10 item 4: a plugin that needs privileges fails at once, with a clear error, when it does not have them:
// bridge and dnsmasq-ipam run as `nobody`, and as root with CAP_NET_ADMIN dropped from the bounding set
// (setpriv), refuse before reading the config (code 999 naming the missing capability) and create nothing.
// host-local needs no capability, only write access to its data directory (our decision, documented in
// RELIABILITY.md): as `nobody` it works in a directory it owns and fails naming the path where it may not write.
// VERSION needs nothing.
import { chmod, chown, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tool } from '../../harness/proc.ts';
import { PLUGIN_PATH } from '../harness/targets.ts';
import { World } from '../harness/world.ts';

const NOBODY = 65534;
const asNobody = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
const withoutNetAdmin = ['setpriv', '--bounding-set=-net_admin', '--inh-caps=-net_admin'];

/** A world `nobody` can traverse (mkdtemp makes it 0700): the executables' links and the state directories. */
async function openWorld(): Promise<World> {
  const world = await World.create({ kernel: true });
  await chmod(world.dir, 0o755);
  return world;
}

async function runAs(world: World, prefix: string[], plugin: string, env: Record<string, string>, conf: unknown) {
  const started = performance.now();
  const r = await tool('ip', ['netns', 'exec', world.host!.name, ...prefix, join(world.binDir, plugin)], {
    env: { PATH: PLUGIN_PATH, CNI_PATH: world.binDir, ...env },
    input: JSON.stringify(conf),
    allowFail: true,
  });
  return { ...r, ms: performance.now() - started, json: r.stdout ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined };
}

it('bridge and dnsmasq-ipam without root or without CAP_NET_ADMIN fail at once, naming what is missing, and change nothing', async () => {
  await using world = await openWorld();
  const bridge = `up${world.suffix}`;
  const confs: Record<string, unknown> = {
    bridge: { cniVersion: '1.0.0', name: 'unpriv', type: 'bridge', bridge, ipam: { type: 'host-local', dataDir: world.dataDir, subnet: '10.99.0.0/24' } },
    'dnsmasq-ipam': { cniVersion: '1.0.0', name: 'unpriv', type: 'dnsmasq-ipam', bridge, ipam: { type: 'dnsmasq-ipam', subnet: '10.204.0.0/24', runDir: world.runDir } },
  };
  const env = { CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: world.container!.path };
  for (const [plugin, conf] of Object.entries(confs)) {
    for (const [who, prefix, lacks] of [['nobody', asNobody, 'CAP_NET_ADMIN'], ['root without CAP_NET_ADMIN', withoutNetAdmin, 'lacks CAP_NET_ADMIN']] as const) {
      for (const command of ['ADD', 'DEL', 'CHECK', 'GC', 'STATUS']) {
        const r = await runAs(world, prefix, plugin, { CNI_COMMAND: command, ...env }, { ...(conf as object), cniVersion: '1.1.0' });
        expect(r.code, `${plugin} ${command} as ${who}: ${r.stdout}`).toBe(1);
        expect(r.json, `${plugin} ${command} as ${who}`).toMatchObject({ code: 999, msg: expect.stringMatching(new RegExp(`^${plugin} needs CAP_NET_ADMIN.*${lacks}`)) });
        expect(r.ms).toBeLessThan(5_000); // at once: no retry loop, no lock wait
      }
      const version = await runAs(world, prefix, plugin, { CNI_COMMAND: 'VERSION' }, {});
      expect(version.code).toBe(0);
    }
  }
  expect((await world.worker().links(undefined)).map((l) => l.name)).toEqual(['lo']); // no bridge was created
  expect(await readdir(world.dataDir)).toEqual([]);
  expect(await readdir(world.runDir)).toEqual([]);
});

it('host-local as nobody: works in a data directory it may write, fails naming the path where it may not', async () => {
  await using world = await openWorld();
  const conf = (dataDir: string) => ({ cniVersion: '1.0.0', name: 'unpriv', ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.99.0.0/24' }]] } });
  const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: '/var/run/netns/none' });

  const rootOwned = join(world.dataDir, 'root-owned'); // 0755 root: nobody may not write
  await mkdir(rootOwned);
  const denied = await runAs(world, asNobody, 'host-local', env('ADD'), conf(rootOwned));
  expect(denied.code).toBe(1);
  expect(denied.json).toMatchObject({ msg: expect.stringMatching(new RegExp(`EACCES.*${rootOwned}`)) });
  expect(await readdir(rootOwned)).toEqual([]);

  const own = join(world.dataDir, 'nobody-owned');
  await mkdir(own);
  await chown(own, NOBODY, NOBODY);
  const add = await runAs(world, asNobody, 'host-local', env('ADD'), conf(own));
  expect(add.code, add.stdout).toBe(0);
  const del = await runAs(world, asNobody, 'host-local', env('DEL'), conf(own));
  expect(del.code, del.stdout).toBe(0);
  expect((await readdir(join(own, 'unpriv'))).sort()).toEqual(['last_reserved_ip.0', 'lock']);
});
