import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseNetworkConfigList, type NetworkConfigList } from './conflist.ts';
import { cniErrorOf } from './inject.ts';
import { CniRunner, type RuntimeConf } from './runner.ts';
import { fakePlugins, type FakePlugins } from './testing/fake-plugins.ts';

const list = (o: Record<string, unknown>): NetworkConfigList => parseNetworkConfigList(Buffer.from(JSON.stringify(o)));
const att = (containerId: string, extra: Partial<RuntimeConf> = {}): RuntimeConf => ({
  containerId, netns: `/var/run/netns/${containerId}`, ifName: 'eth0', ...extra,
});

let fake: FakePlugins;
let runner: CniRunner;
beforeEach(async () => {
  fake = await fakePlugins(['a', 'b']);
  runner = new CniRunner({ path: [fake.binDir], cacheDir: join(fake.workDir, 'cache'), env: { PATH: process.env.PATH } });
});
afterEach(async () => {
  await fake[Symbol.asyncDispose]();
});

describe('GC', () => {
  const net = list({ cniVersion: '1.1.0', name: 'net1', plugins: [{ type: 'a', capabilities: { mac: true } }, { type: 'b' }] });
  const other = list({ cniVersion: '1.1.0', name: 'net2', plugins: [{ type: 'a' }] });

  beforeEach(async () => {
    await runner.add(net, att('keep'));
    await runner.add(net, att('stale', { args: [['K', 'V']], capabilityArgs: { mac: 'c2:00:00:00:00:01' } }));
    await runner.add(other, att('elsewhere'));
    await fake.clearCalls();
  });

  it('DELs the stale attachments of this network with their cached args, then GCs every plugin', async () => {
    await runner.gc(net, { validAttachments: [{ containerID: 'keep', ifname: 'eth0' }] });
    const calls = await fake.calls();
    expect(calls.map((c) => `${c.plugin}:${c.command}:${c.env.CNI_CONTAINERID}`)).toEqual([
      'b:DEL:stale', 'a:DEL:stale', 'a:GC:', 'b:GC:',
    ]);
    expect(calls[1]?.env).toMatchObject({ CNI_NETNS: '/var/run/netns/stale', CNI_ARGS: 'K=V', CNI_IFNAME: 'eth0' });
    expect(calls[1]?.stdin.runtimeConfig).toEqual({ mac: 'c2:00:00:00:00:01' });
    const valid = [{ containerID: 'keep', ifname: 'eth0' }];
    expect(calls[2]?.stdin).toEqual({
      type: 'a', capabilities: { mac: true }, name: 'net1', cniVersion: '1.1.0',
      'cni.dev/valid-attachments': valid, 'cni.dev/attachments': valid,
    });
    expect(calls[2]?.env).toMatchObject({ CNI_COMMAND: 'GC', CNI_CONTAINERID: '', CNI_NETNS: '', CNI_IFNAME: '', CNI_ARGS: '' });
    expect((await runner.cache.list()).map((a) => a.containerId).sort()).toEqual(['elsewhere', 'keep']);
  });

  it('without args treats nothing as valid and sends no valid-attachments key (as cnitool gc)', async () => {
    await runner.gc(net);
    const calls = await fake.calls();
    expect(calls.filter((c) => c.command === 'DEL').map((c) => c.env.CNI_CONTAINERID)).toEqual(['keep', 'keep', 'stale', 'stale']);
    for (const c of calls.filter((c) => c.command === 'GC')) {
      expect(c.stdin).not.toHaveProperty('cni.dev/valid-attachments');
      expect(c.stdin).not.toHaveProperty('cni.dev/attachments');
    }
    expect((await runner.cache.list()).map((a) => a.containerId)).toEqual(['elsewhere']);
  });

  it('below 1.1.0 only does step 1', async () => {
    await runner.gc(list({ cniVersion: '1.0.0', name: 'net1', plugins: [{ type: 'a' }] }), { validAttachments: [] });
    expect((await fake.calls()).map((c) => c.command)).toEqual(['DEL', 'DEL']);
  });

  it('does nothing with disableGC', async () => {
    await runner.gc(list({ cniVersion: '1.1.0', name: 'net1', disableGC: true, plugins: [{ type: 'a' }] }));
    expect(await fake.calls()).toEqual([]);
  });

  it('keeps going after errors and reports all of them', async () => {
    await fake.fail('a', 'DEL', JSON.stringify({ code: 999, msg: 'del failed' }));
    await fake.fail('a', 'GC', JSON.stringify({ code: 999, msg: 'gc failed' }));
    const err = (await runner.gc(net).catch((e: unknown) => e)) as AggregateError;
    expect(err).toBeInstanceOf(AggregateError);
    expect(err.message.split('\n')).toEqual([
      'failed to delete stale attachment keep eth0: plugin type="a" failed (delete): del failed',
      'failed to delete stale attachment stale eth0: plugin type="a" failed (delete): del failed',
      'failed to GC plugin a: gc failed',
    ]);
    expect((await fake.calls()).filter((c) => c.command === 'GC').map((c) => c.plugin)).toEqual(['a', 'b']);
  });

  it('does nothing when the cache directory cannot be read', async () => {
    const empty = new CniRunner({ path: [fake.binDir], cacheDir: join(fake.workDir, 'no-such-dir') });
    await empty.gc(net);
    expect(await fake.calls()).toEqual([]);
  });
});

describe('STATUS', () => {
  it('is success without running anything below 1.1.0', async () => {
    await runner.status(list({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'a' }] }));
    expect(await fake.calls()).toEqual([]);
  });

  it('asks every plugin in order and stops at the first one that is not ready, keeping its code', async () => {
    const net = list({ cniVersion: '1.1.0', name: 'n', plugins: [{ type: 'a' }, { type: 'b' }] });
    await runner.status(net);
    const calls = await fake.calls();
    expect(calls.map((c) => `${c.plugin}:${c.command}`)).toEqual(['a:STATUS', 'b:STATUS']);
    expect(calls[0]?.stdin).toEqual({ type: 'a', name: 'n', cniVersion: '1.1.0' });
    await fake.clearCalls();
    await fake.fail('a', 'STATUS', JSON.stringify({ code: 50, msg: 'pool exhausted' }));
    const err = await runner.status(net).catch((e: unknown) => e);
    expect(cniErrorOf(err)).toMatchObject({ code: 50, msg: 'pool exhausted' });
    expect((await fake.calls()).map((c) => c.plugin)).toEqual(['a']);
  });
});

describe('VERSION probing', () => {
  it('sends VERSION with libcni dummy values and decodes the answer', async () => {
    expect(await runner.versionInfo('a')).toEqual({ cniVersion: '1.1.0', supportedVersions: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
    const [call] = await fake.calls();
    expect(call?.env).toMatchObject({ CNI_COMMAND: 'VERSION', CNI_NETNS: 'dummy', CNI_IFNAME: 'dummy', CNI_PATH: 'dummy', CNI_CONTAINERID: '' });
    expect(call?.stdin).toEqual({ cniVersion: '1.1.0' });
  });

  it('understands 0.2.0 plugins without supportedVersions and plugins older than VERSION', async () => {
    await fake.answer('a', 'VERSION', '{"cniVersion":"0.2.0"}');
    expect((await runner.versionInfo('a')).supportedVersions).toEqual(['0.1.0', '0.2.0']);
    await fake.fail('b', 'VERSION', '{"code":4,"msg":"unknown CNI_COMMAND: VERSION"}');
    expect((await runner.versionInfo('b')).supportedVersions).toEqual(['0.1.0']);
  });

  it('rejects an answer without supportedVersions', async () => {
    await fake.answer('a', 'VERSION', '{"cniVersion":"1.0.0"}');
    await expect(runner.versionInfo('a')).rejects.toThrow('decoding version info: missing field supportedVersions');
  });

  it('validate checks every plugin supports the list version and returns the declared capabilities', async () => {
    await fake.answer('b', 'VERSION', '{"cniVersion":"1.0.0","supportedVersions":["0.4.0","1.0.0"]}');
    const net = (v: string) => list({ cniVersion: v, name: 'n', plugins: [{ type: 'a', capabilities: { mac: true, ips: false } }, { type: 'b' }] });
    expect(await runner.validate(net('1.0.0'))).toEqual(['mac']);
    await expect(runner.validate(net('1.1.0'))).rejects.toThrow('[plugin b does not support config version "1.1.0"]');
  });
});
