// Issue 10 item 4: state files and directories get the reference's modes whatever the umask the runtime passes on
// (tested with umask 000, the worst case, and 022): host-local's network directory 0755 and its files 0600;
// dnsmasq-ipam's run directory 0700 and its records 0600; the runtime's result cache (`cni-ts run`, the library
// the e2e runtime uses) directory 0700 and files 0600, as libcni.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CniRunner, parseNetworkConfigList } from '@cni-ts/cli/run';
import { afterEach, describe, expect, it } from 'vitest';
import { PLUGIN_PATH } from '../harness/targets.ts';
import { World } from '../harness/world.ts';

const mode = async (p: string) => (await stat(p)).mode & 0o7777;
const original = process.umask();
afterEach(() => void process.umask(original));

async function modesUnder(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { '.': (await mode(dir)).toString(8) };
  for (const name of await readdir(dir)) out[name] = (await mode(join(dir, name))).toString(8);
  return out;
}

describe.each([0o000, 0o022])('umask %o', (umask) => {
  it('host-local: network directory 0755, reservations, cursor and lock 0600', async () => {
    await using world = await World.create({ kernel: false });
    process.umask(umask); // the plugin process inherits it
    const network = `modes-${world.suffix}`;
    const conf = { cniVersion: '1.0.0', name: network, ipam: { type: 'host-local', dataDir: join(world.dataDir, 'fresh'), ranges: [[{ subnet: '10.99.0.0/24' }]] } };
    const add = await world.run({ plugin: 'host-local', env: { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: '/x', CNI_PATH: world.binDir }, stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 30_000);
    expect(add.code, add.stdout).toBe(0);
    expect((await mode(join(world.dataDir, 'fresh'))).toString(8)).toBe('755');
    expect(await modesUnder(join(world.dataDir, 'fresh', network))).toEqual({ '.': '755', '10.99.0.2': '600', 'last_reserved_ip.0': '600', lock: '600' });
  });

  it('the result cache: directory 0700, entries 0600', async () => {
    await using world = await World.create({ kernel: false });
    process.umask(umask);
    const cacheDir = join(world.dir, 'cache');
    const runner = new CniRunner({ path: [world.binDir], cacheDir, env: { PATH: PLUGIN_PATH } });
    const list = parseNetworkConfigList(Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: `cache-${world.suffix}`, plugins: [{ type: 'static', ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }] } }] })));
    await runner.add(list, { containerId: 'c1', netns: '/var/run/netns/x', ifName: 'eth0' });
    const results = await modesUnder(join(cacheDir, 'results'));
    expect(results['.']).toBe('700');
    expect(Object.entries(results).filter(([k]) => k !== '.').map(([, m]) => m)).toEqual(['600']);
    await runner.del(list, { containerId: 'c1', netns: '/var/run/netns/x', ifName: 'eth0' });
  });
});

it('dnsmasq-ipam (umask 000): run directory and records 0700/0600, nothing in it writable by others', async () => {
  await using world = await World.create({ kernel: true });
  const network = `modes-${world.suffix}`;
  const conf = {
    cniVersion: '1.1.0', name: network, type: 'bridge', bridge: `md${world.suffix}`,
    ipam: { type: 'dnsmasq-ipam', subnet: '10.204.0.0/24', runDir: join(world.runDir, 'fresh'), dns: { forward: false } },
  };
  const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: world.container!.path, CNI_PATH: world.binDir });
  process.umask(0);
  const add = await world.run({ plugin: 'bridge', env: env('ADD'), stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 60_000);
  process.umask(original);
  try {
    expect(add.code, add.stdout).toBe(0);
    const dir = join(world.runDir, 'fresh', network);
    expect((await mode(dir)).toString(8)).toBe('700');
    expect(await modesUnder(join(dir, 'attachments'))).toEqual({ '.': '700', 'c1_eth0.json': '600' });
    for (const [name, m] of Object.entries(await modesUnder(dir))) expect(Number.parseInt(m, 8) & 0o002, `${name} ${m}`).toBe(0);
  } finally {
    await world.run({ plugin: 'bridge', env: env('DEL'), stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 60_000);
  }
});
