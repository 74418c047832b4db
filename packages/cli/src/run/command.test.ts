import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCniArgsEnv, run, type CommandIo } from './command.ts';
import { cnitoolContainerId } from './container-id.ts';
import { fakePlugins, type FakePlugins } from './testing/fake-plugins.ts';

let fake: FakePlugins;
let out: string[];
let err: string[];
const io = (env: Record<string, string>): CommandIo => ({
  env: {
    PATH: process.env.PATH, NETCONFPATH: fake.workDir, CNI_PATH: fake.binDir, CNI_CACHE_DIR: join(fake.workDir, 'cache'), ...env,
  },
  stdout: (s) => out.push(s),
  stderr: (s) => err.push(s),
});
const result = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/24' }] };

beforeEach(async () => {
  fake = await fakePlugins(['a', 'b']);
  out = [];
  err = [];
  await writeFile(join(fake.workDir, '10-net.conflist'), JSON.stringify({
    cniVersion: '1.0.0', name: 'net', plugins: [{ type: 'a', capabilities: { mac: true } }, { type: 'b' }],
  }));
  await fake.answer('a', 'ADD', JSON.stringify(result));
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
});

describe('cni-ts run', () => {
  it('add prints the result and uses cnitool container id, CNI_ARGS, CAP_ARGS and -i', async () => {
    const code = await run(['add', 'net', '/var/run/netns/x', '-i', 'net1'], io({ CNI_ARGS: 'A=1;B=x=y', CAP_ARGS: '{"mac":"c2:00:00:00:00:01"}' }));
    expect([code, err]).toEqual([0, []]);
    expect(JSON.parse(out.join(''))).toEqual(result);
    expect(out.join('')).toBe(`${JSON.stringify(result, null, 4)}\n`);
    const [a] = await fake.calls();
    expect(a?.env).toMatchObject({
      CNI_COMMAND: 'ADD', CNI_CONTAINERID: cnitoolContainerId('/var/run/netns/x'), CNI_NETNS: '/var/run/netns/x', CNI_IFNAME: 'net1', CNI_ARGS: 'A=1;B=x=y',
    });
    expect(a?.stdin.runtimeConfig).toEqual({ mac: 'c2:00:00:00:00:01' });
  });

  it('check, del, status and gc run the list', async () => {
    const e = io({ CNI_IFNAME: 'eth1' });
    expect(await run(['add', 'net', '/run/netns/y'], e)).toBe(0);
    expect(await run(['check', 'net', '/run/netns/y'], e)).toBe(0);
    expect(await run(['del', 'net', '/run/netns/y'], e)).toBe(0);
    expect(await run(['add', 'net', '/run/netns/z'], e)).toBe(0);
    expect(await run(['status', 'net'], e)).toBe(0); // 1.0.0: nothing to ask
    expect(await run(['gc', 'net', '--valid', `${cnitoolContainerId('/run/netns/z')}:eth1`], e)).toBe(0);
    const calls = (await fake.calls()).map((c) => `${c.plugin}:${c.command}:${c.env.CNI_IFNAME}`);
    expect(calls).toEqual(['a:ADD:eth1', 'b:ADD:eth1', 'a:CHECK:eth1', 'b:CHECK:eth1', 'b:DEL:eth1', 'a:DEL:eth1', 'a:ADD:eth1', 'b:ADD:eth1']);
    expect(await run(['gc', 'net'], e)).toBe(0);
    expect((await fake.calls()).slice(8).map((c) => `${c.plugin}:${c.command}`)).toEqual(['b:DEL', 'a:DEL']);
  });

  it('reports a failure on stderr with exit 1', async () => {
    await fake.fail('b', 'ADD', '{"code":999,"msg":"no bridge"}');
    expect(await run(['add', 'net', '/run/netns/y'], io({}))).toBe(1);
    expect(err.join('')).toBe('plugin type="b" failed (add): no bridge\n');
    expect(await run(['add', 'missing', '/run/netns/y'], io({}))).toBe(1);
    expect(err.at(-1)).toBe(`no net configuration with name "missing" in ${fake.workDir}\n`);
  });

  it.each([
    [[], 'missing verb'],
    [['frob', 'net', '/x'], 'unknown verb "frob"'],
    [['add'], 'missing network name'],
    [['del', 'net'], 'missing netns path'],
    [['add', 'net', '/x', '-i'], '-i needs a value'],
    [['add', 'net', '/x', '--valid', 'a:b'], '--valid is only for gc'],
    [['gc', 'net', '--valid', 'nocolon'], '--valid needs <containerID>:<ifname>'],
  ])('usage errors exit 2: %o', async (argv, msg) => {
    expect(await run(argv, io({}))).toBe(2);
    expect(err.join('')).toContain(msg);
    expect(await fake.calls()).toEqual([]);
  });
});

describe('parseCniArgsEnv', () => {
  it('splits pairs on the first "=" and rejects empty keys or values', () => {
    expect(parseCniArgsEnv('A=1;B=x=y')).toEqual([['A', '1'], ['B', 'x=y']]);
    expect(parseCniArgsEnv('')).toEqual([]);
    expect(() => parseCniArgsEnv('A=')).toThrow('invalid CNI_ARGS pair "A="');
    expect(() => parseCniArgsEnv('A=1;;B=2')).toThrow('invalid CNI_ARGS pair ""');
  });
});
