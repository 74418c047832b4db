import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNetworkConfigList, type NetworkConfigList } from './conflist.ts';
import { cniErrorOf } from './inject.ts';
import { CniRunner, type RuntimeConf } from './runner.ts';
import { fakePlugins, type FakePlugins } from './testing/fake-plugins.ts';

const list = (o: Record<string, unknown>): NetworkConfigList => parseNetworkConfigList(Buffer.from(JSON.stringify(o)));
const rt: RuntimeConf = {
  containerId: 'ctr1', netns: '/var/run/netns/ctr1', ifName: 'eth0',
  args: [['K8S_POD_NAME', 'p'], ['IgnoreUnknown', '1']],
  capabilityArgs: { portMappings: [{ hostPort: 80, containerPort: 8080, protocol: 'tcp' }], mac: 'c2:11:22:33:44:55', bandwidth: {} },
};
const r1 = { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/ctr1' }], ips: [{ address: '10.1.0.5/24', gateway: '10.1.0.1', interface: 0 }] };

let fake: FakePlugins;
let runner: CniRunner;
let net: NetworkConfigList;
beforeEach(async () => {
  fake = await fakePlugins(['a', 'b', 'c']);
  runner = new CniRunner({ path: ['/nonexistent', fake.binDir], cacheDir: join(fake.workDir, 'cache'), env: { PATH: process.env.PATH } });
  net = list({
    cniVersion: '1.0.0', name: 'net1',
    plugins: [
      { type: 'a', keep: { nested: true }, capabilities: { portMappings: true, mac: false } },
      { type: 'b', name: 'ignored-by-runtime', cniVersion: '0.1.0', runtimeConfig: { stale: true } },
      { type: 'c', capabilities: { bandwidth: true } },
    ],
  });
  await fake.answer('a', 'ADD', JSON.stringify(r1));
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
});

describe('ADD', () => {
  it('runs the chain in order, threading prevResult, and returns the last result', async () => {
    await fake.answer('c', 'ADD', JSON.stringify({ ...r1, dns: { nameservers: ['10.1.0.1'] } }));
    const result = await runner.add(net, rt);
    expect(result).toEqual({ ...r1, dns: { nameservers: ['10.1.0.1'] } });
    const calls = await fake.calls();
    expect(calls.map((c) => `${c.plugin}:${c.command}`)).toEqual(['a:ADD', 'b:ADD', 'c:ADD']);
    expect(calls[0]?.stdin).not.toHaveProperty('prevResult');
    expect(calls[1]?.stdin.prevResult).toEqual(r1);
    expect(calls[2]?.stdin.prevResult).toEqual(r1);
  });

  it('injects the list name and version, keeps the plugin keys and passes only declared capabilities', async () => {
    await runner.add(net, rt);
    const [a, b, c] = await fake.calls();
    expect(a?.stdin).toEqual({
      type: 'a', keep: { nested: true }, capabilities: { portMappings: true, mac: false },
      name: 'net1', cniVersion: '1.0.0', runtimeConfig: { portMappings: rt.capabilityArgs?.portMappings },
    });
    // no declared capability: the plugin's own runtimeConfig is left alone, its name and version are overridden
    expect(b?.stdin).toMatchObject({ type: 'b', name: 'net1', cniVersion: '1.0.0', runtimeConfig: { stale: true } });
    expect(c?.stdin.runtimeConfig).toEqual({ bandwidth: {} });
  });

  it('sets all six CNI_* variables', async () => {
    await runner.add(net, rt);
    const [a] = await fake.calls();
    expect(a?.env).toEqual({
      CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'ctr1', CNI_NETNS: '/var/run/netns/ctr1', CNI_IFNAME: 'eth0',
      CNI_ARGS: 'K8S_POD_NAME=p;IgnoreUnknown=1', CNI_PATH: `/nonexistent:${fake.binDir}`,
    });
  });

  it('caches the final result in libcni cniCacheV1 format, 0600 in a 0700 directory', async () => {
    const result = await runner.add(net, rt);
    const file = join(fake.workDir, 'cache', 'results', 'net1-ctr1-eth0');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(fake.workDir, 'cache', 'results'))).mode & 0o777).toBe(0o700);
    const cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(cached).toEqual({
      kind: 'cniCacheV1', containerId: 'ctr1', config: net.bytes.toString('base64'), ifName: 'eth0', networkName: 'net1',
      netns: '/var/run/netns/ctr1', cniArgs: rt.args, capabilityArgs: rt.capabilityArgs, result,
    });
  });

  it('fills in a missing result cniVersion with the config version (cni#895)', async () => {
    await fake.answer('a', 'ADD', JSON.stringify({ ips: [{ address: '10.1.0.5/24' }] }));
    await runner.add(net, rt);
    const b = (await fake.calls())[1];
    expect(b?.stdin.prevResult).toEqual({ cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/24' }] });
  });

  it('stops at the first failing plugin, wraps its error and caches nothing', async () => {
    await fake.fail('b', 'ADD', JSON.stringify({ code: 11, msg: 'try later', details: 'busy' }));
    const err = await runner.add(net, rt).catch((e: unknown) => e);
    expect((err as Error).message).toBe('plugin type="b" name="ignored-by-runtime" failed (add): try later; busy');
    expect(cniErrorOf(err)).toMatchObject({ code: 11, msg: 'try later', details: 'busy' });
    expect((await fake.calls()).map((c) => c.plugin)).toEqual(['a', 'b']);
    await expect(stat(join(fake.workDir, 'cache', 'results', 'net1-ctr1-eth0'))).rejects.toThrow(/ENOENT/);
  });

  it('rejects a result that is not a result', async () => {
    await fake.answer('a', 'ADD', '[1,2]');
    await expect(runner.add(net, rt)).rejects.toThrow(/plugin type="a" failed \(add\): failed to unmarshal raw result/);
  });

  it.each([
    [{ containerId: '' }, 3, 'missing containerID'],
    [{ containerId: 'bad/id' }, 4, 'invalid characters in containerID'],
    [{ ifName: 'x'.repeat(16) }, 4, 'interface name is too long'],
    [{ ifName: 'a:b' }, 4, 'interface name contains / or : or whitespace characters'],
  ])('validates %o before running anything', async (patch, code, msg) => {
    await expect(runner.add(net, { ...rt, ...patch })).rejects.toMatchObject({ code, msg });
    expect(await fake.calls()).toEqual([]);
  });

  it('validates the network name', async () => {
    await expect(runner.add(list({ cniVersion: '1.0.0', name: 'bad name', plugins: [{ type: 'a' }] }), rt))
      .rejects.toMatchObject({ code: 7, msg: 'invalid characters found in network name' });
    expect(await fake.calls()).toEqual([]);
  });

  it('names the missing plugin', async () => {
    await expect(runner.add(list({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'nope' }] }), rt))
      .rejects.toThrow(`plugin type="nope" failed (add): failed to find plugin "nope" in path [/nonexistent ${fake.binDir}]`);
  });
});

describe('DEL', () => {
  it('runs in reverse order with the cached result as prevResult, then drops the cache entry', async () => {
    const result = await runner.add(net, rt);
    await fake.clearCalls();
    await runner.del(net, rt);
    const calls = await fake.calls();
    expect(calls.map((c) => `${c.plugin}:${c.command}`)).toEqual(['c:DEL', 'b:DEL', 'a:DEL']);
    for (const c of calls) expect(c.stdin.prevResult).toEqual(result);
    expect(calls[2]?.stdin.runtimeConfig).toEqual({ portMappings: rt.capabilityArgs?.portMappings });
    expect(await runner.cache.readResult('net1', 'ctr1', 'eth0')).toBeUndefined();
  });

  it('passes no prevResult below 0.4.0 and still drops the cache entry', async () => {
    const old = list({ cniVersion: '0.3.1', name: 'net1', plugins: [{ type: 'a' }, { type: 'b' }] });
    await fake.answer('a', 'ADD', JSON.stringify({ cniVersion: '0.3.1', ips: [{ version: '4', address: '10.1.0.5/24' }] }));
    await runner.add(old, rt);
    await fake.clearCalls();
    await runner.del(old, rt);
    const calls = await fake.calls();
    expect(calls.map((c) => c.plugin)).toEqual(['b', 'a']);
    for (const c of calls) expect(c.stdin).not.toHaveProperty('prevResult');
    expect(await runner.cache.readResult('net1', 'ctr1', 'eth0')).toBeUndefined();
  });

  it('goes on without prevResult when the cache entry is unreadable, and removes it', async () => {
    await runner.add(net, rt);
    await writeFile(runner.cache.path('net1', 'ctr1', 'eth0'), 'not json');
    await fake.clearCalls();
    await runner.del(net, rt);
    for (const c of await fake.calls()) expect(c.stdin).not.toHaveProperty('prevResult');
    await expect(stat(runner.cache.path('net1', 'ctr1', 'eth0'))).rejects.toThrow(/ENOENT/);
  });

  it('succeeds when nothing was ever added, and twice in a row', async () => {
    await runner.del(net, rt);
    await runner.del(net, rt);
    expect((await fake.calls()).map((c) => c.command)).toEqual(Array(6).fill('DEL'));
  });

  it('stops at the first failing plugin and keeps the cache entry for a retry', async () => {
    await runner.add(net, rt);
    await fake.fail('b', 'DEL', JSON.stringify({ code: 999, msg: 'boom' }));
    await expect(runner.del(net, rt)).rejects.toThrow('plugin type="b" name="ignored-by-runtime" failed (delete): boom');
    expect(await runner.cache.readResult('net1', 'ctr1', 'eth0')).toBeDefined();
  });
});

describe('CHECK', () => {
  it('is refused below 0.4.0 without running anything', async () => {
    await expect(runner.check(list({ cniVersion: '0.3.1', name: 'n', plugins: [{ type: 'a' }] }), rt))
      .rejects.toThrow('configuration version "0.3.1" does not support the CHECK command');
    expect(await fake.calls()).toEqual([]);
  });

  it('does nothing when disableCheck is set (also as the string "true")', async () => {
    await runner.check(list({ cniVersion: '1.0.0', name: 'n', disableCheck: 'true', plugins: [{ type: 'a' }] }), rt);
    expect(await fake.calls()).toEqual([]);
  });

  it('runs every plugin in order with the cached result', async () => {
    const result = await runner.add(net, rt);
    await fake.clearCalls();
    await runner.check(net, rt);
    const calls = await fake.calls();
    expect(calls.map((c) => `${c.plugin}:${c.command}`)).toEqual(['a:CHECK', 'b:CHECK', 'c:CHECK']);
    for (const c of calls) expect(c.stdin.prevResult).toEqual(result);
  });

  it('converts the cached result when the list moved to another version since ADD', async () => {
    await runner.add(net, rt);
    await fake.clearCalls();
    const older = list({ cniVersion: '0.4.0', name: 'net1', plugins: [{ type: 'a' }] });
    await runner.check(older, rt);
    const [a] = await fake.calls();
    expect(a?.stdin.prevResult).toMatchObject({ cniVersion: '0.4.0', ips: [{ version: '4', address: '10.1.0.5/24', gateway: '10.1.0.1', interface: 0 }] });
  });

  it('stops at the first failing plugin', async () => {
    await runner.add(net, rt);
    await fake.fail('a', 'CHECK', JSON.stringify({ code: 999, msg: 'eth0 is gone' }));
    await expect(runner.check(net, rt)).rejects.toThrow('plugin type="a" failed (check): eth0 is gone');
  });
});
