// Issue 10 item 2: host-local on damaged state (checklist 8 #3). Empty, half-written, garbage and foreign entries in
// the data directory never crash a verb or corrupt a result: ADD skips what is taken and allocates around it,
// DEL of another container leaves them alone, GC treats empty or unreadable reservations as free. A broken cursor
// restarts the round robin; a lock that is not a file is a clear error that creates nothing. Run as the real
// executable (the bundle), in the default test command.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';

const SUBNET = '10.98.0.0/29'; // hosts .1-.6, gateway .1: five addresses to hand out

async function setUp(world: World) {
  const network = `dmg-${world.suffix}`;
  const dir = join(world.dataDir, network);
  await mkdir(dir, { recursive: true });
  const conf = { cniVersion: '1.1.0', name: network, ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: SUBNET }]] } };
  const run = (command: string, id = '', extra: object = {}) =>
    world.run(
      {
        plugin: 'host-local',
        env: { CNI_COMMAND: command, CNI_PATH: world.binDir, ...(id ? { CNI_CONTAINERID: id, CNI_IFNAME: 'eth0', CNI_NETNS: '/var/run/netns/none' } : {}) },
        stdin: Buffer.from(JSON.stringify({ ...conf, ...extra })),
      },
      'exec',
      30_000,
    );
  const entries = async () => (await readdir(dir)).filter((f) => f !== 'lock' && !f.startsWith('last_reserved_ip.')).sort();
  return { dir, run, entries };
}

const addressOf = (stdout: string) => (JSON.parse(stdout) as { ips: Array<{ address: string }> }).ips[0]!.address;

it('allocates around empty, garbage, half-written and foreign entries; GC frees the ownerless ones', async () => {
  await using world = await World.create({ kernel: false });
  const { dir, run, entries } = await setUp(world);
  const passwd = await readFile('/etc/passwd', 'utf8');
  await writeFile(join(dir, '10.98.0.2'), ''); // empty: a writer died (the reference's plugins#498)
  await writeFile(join(dir, '10.98.0.3'), Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a])); // binary garbage
  await mkdir(join(dir, '10.98.0.4')); // a directory where a reservation should be
  await symlink('/etc/passwd', join(dir, '10.98.0.5')); // a link to a file we must never touch
  await writeFile(join(dir, 'last_reserved_ip.0'), 'not an address\n');
  await writeFile(join(dir, '.cni-ts-tmp-10.98.0.6-1-x'), 'dead\r\neth0'); // debris of a killed writer
  await writeFile(join(dir, 'README'), 'foreign file');

  const add = await run('ADD', 'c1');
  expect(add.code, add.stdout).toBe(0);
  expect(addressOf(add.stdout)).toBe('10.98.0.6/29'); // every other host address is taken by something
  expect(await entries()).toEqual(['10.98.0.2', '10.98.0.3', '10.98.0.4', '10.98.0.5', '10.98.0.6', 'README']); // debris swept
  const full = await run('ADD', 'c2');
  expect(full.code).toBe(1);
  expect(JSON.parse(full.stdout)).toMatchObject({ code: 100, msg: expect.stringContaining('no IP addresses available') });

  const delOther = await run('DEL', 'c2');
  expect(delOther.code, delOther.stdout).toBe(0);
  expect(await entries()).toHaveLength(6);

  // GC with c1 valid: the ownerless entries are free; the directory is refused and reported, c1 stays.
  const gc = await run('GC', '', { 'cni.dev/valid-attachments': [{ containerID: 'c1', ifname: 'eth0' }] });
  const left = await entries();
  expect(left).toContain('10.98.0.6');
  expect(left).not.toContain('10.98.0.2');
  expect(left).not.toContain('10.98.0.3');
  expect(left).not.toContain('10.98.0.5');
  expect(await readFile('/etc/passwd', 'utf8')).toBe(passwd); // the link was removed, never its target
  // GC is best effort and reports every failure: the directory cannot be released (and is named), the rest was.
  expect(gc.code).toBe(1);
  expect(JSON.parse(gc.stdout)).toMatchObject({ code: 999, msg: expect.stringContaining('failed to release 10.98.0.4') });

  const again = await run('ADD', 'c3');
  expect(again.code, again.stdout).toBe(0);
  const del = await Promise.all([run('DEL', 'c1'), run('DEL', 'c3')]);
  expect(del.map((d) => d.code)).toEqual([0, 0]);
});

it('a broken round-robin cursor restarts at the range start; every cursor shape is survived', async () => {
  await using world = await World.create({ kernel: false });
  const { dir, run } = await setUp(world);
  for (const cursor of ['', '\n', 'fd00::1', '10.98.0.200', '10.98.0.6', 'x'.repeat(10_000), '10.98.0.3\n10.98.0.4']) {
    await writeFile(join(dir, 'last_reserved_ip.0'), cursor);
    const add = await run('ADD', 'c1');
    expect(add.code, `${JSON.stringify(cursor.slice(0, 20))}: ${add.stdout}`).toBe(0);
    expect((await run('DEL', 'c1')).code).toBe(0);
  }
});

it('a lock that is not a file fails ADD and DEL with an error naming it, and reserves nothing', async () => {
  await using world = await World.create({ kernel: false });
  const { dir, run, entries } = await setUp(world);
  await mkdir(join(dir, 'lock'));
  const add = await run('ADD', 'c1');
  expect(add.code).toBe(1);
  expect(JSON.parse(add.stdout)).toMatchObject({ msg: expect.stringContaining('lock') });
  expect(await entries()).toEqual([]);
  // As in the reference, DEL fails when it cannot open the lock (it cannot know what to release without it).
  const del = await run('DEL', 'c1');
  expect(del.code).toBe(1);
  expect(JSON.parse(del.stdout)).toMatchObject({ msg: expect.stringContaining(join(dir, 'lock')) });
});
