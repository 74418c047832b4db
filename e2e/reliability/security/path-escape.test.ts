// Issue 10 item 4: network names, container ids and interface names that could escape a state directory (or that
// no file system or kernel accepts) are rejected before any file is touched, by every plugin and every verb. The
// state directories sit deep inside the world (d1/d2/d3/...) and do not exist yet: after all the hostile
// invocations, d1 must still not exist (every `..` escape would have landed inside it), and nothing else changed.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';
import type { Outcome } from '../harness/targets.ts';

const escapes = ['..', '.', '../x', '../../../../x', '../../etc/passwd', '/', '/tmp/x', 'a/b', 'x/../../y', 'a\\b', ' x', 'x y', 'x\ny', 'x\u0000y', ''];
const badNetworkNames: unknown[] = [...escapes, 'n'.repeat(256), 'é', 5, null, ['..']];
const badContainerIds = [...escapes, 'é'];
// a backslash is an ordinary character in a Linux interface name (the kernel and the reference accept it)
const badIfNames = [...escapes.filter((e) => e !== 'a\\b'), 'x'.repeat(16), 'x:y', 'éééééééé'];

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    out.push(e.name);
    if (e.isDirectory()) out.push(...(await tree(join(dir, e.name))).map((n) => `${e.name}/${n}`));
  }
  return out.sort();
}

it('hostile network names, container ids and interface names are refused by every plugin before any file is touched', async () => {
  await using world = await World.create({ kernel: true });
  const deep = join(world.dir, 'd1', 'd2', 'd3');
  const configs: Record<string, Record<string, unknown>> = {
    'host-local': { type: 'host-local', ipam: { type: 'host-local', dataDir: join(deep, 'host-local'), ranges: [[{ subnet: '10.99.0.0/24' }]] } },
    static: { type: 'static', ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }] } },
    bridge: { type: 'bridge', bridge: `pe${world.suffix}`, ipam: { type: 'host-local', dataDir: join(deep, 'host-local'), ranges: [[{ subnet: '10.99.0.0/24' }]] } },
    'dnsmasq-ipam': { type: 'dnsmasq-ipam', bridge: `pe${world.suffix}`, ipam: { type: 'dnsmasq-ipam', subnet: '10.204.0.0/24', runDir: join(deep, 'dnsmasq') } },
  };
  const before = await tree(world.dir);
  const goodEnv = { CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: world.container!.path, CNI_PATH: world.binDir };
  const failures: string[] = [];
  let refused = 0;

  const expectRefused = (what: string, out: Outcome, codes: number[]) => {
    const json = (() => {
      try {
        return JSON.parse(out.stdout) as { code?: number };
      } catch {
        return undefined;
      }
    })();
    if (out.code !== 1 || !codes.includes(json?.code ?? -1)) failures.push(`${what}: exit ${out.code} ${out.stdout.slice(0, 200)}`);
    else refused++;
  };

  for (const [plugin, base] of Object.entries(configs)) {
    for (const command of ['ADD', 'DEL', 'CHECK']) {
      // exec(2) cannot carry NUL in the environment; stdin can (as \u0000 in JSON): both paths are covered.
      const via = (value: unknown) => (command === 'ADD' && !(typeof value === 'string' && value.includes('\0')) ? 'exec' : 'in-process');
      for (const name of badNetworkNames) {
        const stdin = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name, ...base }));
        const out = await world.run({ plugin, env: { CNI_COMMAND: command, ...goodEnv }, stdin }, command === 'ADD' ? 'exec' : 'in-process', 30_000);
        expectRefused(`${plugin} ${command} network name ${JSON.stringify(name)}`, out, [6, 7]);
      }
      const stdin = Buffer.from(JSON.stringify({ cniVersion: '1.0.0', name: `pe-${world.suffix}`, ...base }));
      for (const id of badContainerIds) {
        const out = await world.run({ plugin, env: { CNI_COMMAND: command, ...goodEnv, CNI_CONTAINERID: id }, stdin }, via(id), 30_000);
        expectRefused(`${plugin} ${command} container id ${JSON.stringify(id)}`, out, [3, 4]);
      }
      for (const ifName of badIfNames) {
        const out = await world.run({ plugin, env: { CNI_COMMAND: command, ...goodEnv, CNI_IFNAME: ifName }, stdin }, via(ifName), 30_000);
        expectRefused(`${plugin} ${command} interface name ${JSON.stringify(ifName)}`, out, [4]);
      }
    }
  }
  expect(failures).toEqual([]);
  expect(refused).toBeGreaterThan(400);
  expect(existsSync(join(world.dir, 'd1'))).toBe(false);
  expect(await tree(world.dir)).toEqual(before);
  expect((await world.worker().links(world.container!.path)).map((l) => l.name)).toEqual(['lo']);
});

it('a very long container id is valid (the reference accepts any length) and its state stays inside the data directory', async () => {
  await using world = await World.create({ kernel: false });
  const id = `c${'0123456789'.repeat(40)}`;
  const conf = { cniVersion: '1.0.0', name: `long-${world.suffix}`, ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.99.0.0/24' }]] } };
  const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_IFNAME: 'eth0', CNI_NETNS: '/var/run/netns/none', CNI_PATH: world.binDir });
  const add = await world.run({ plugin: 'host-local', env: env('ADD'), stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 30_000);
  expect(add.code, add.stdout).toBe(0);
  expect(await tree(world.dataDir)).toEqual([`long-${world.suffix}`, `long-${world.suffix}/10.99.0.2`, `long-${world.suffix}/last_reserved_ip.0`, `long-${world.suffix}/lock`]);
  const del = await world.run({ plugin: 'host-local', env: env('DEL'), stdin: Buffer.from(JSON.stringify(conf)) }, 'exec', 30_000);
  expect(del.code, del.stdout).toBe(0);
});
