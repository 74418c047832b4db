import { describe, expect, test } from 'vitest';
import { fixturePlugin } from '../../test/fixture-plugin/plugin.ts';
import { PluginConf } from '../config.ts';
import { CniError } from '../errors.ts';
import type { PluginDefinition } from '../plugin.ts';
import { inProcessRunner } from './in-process-runner.ts';
import { runWithIo } from './run-with-io.ts';

const calls: string[] = [];
const fakeIpam: PluginDefinition<PluginConf> = {
  name: 'fake-ipam',
  config: PluginConf,
  add: async (ctx) => (calls.push(`ADD ${ctx.containerId} ${ctx.stdin.toString()}`), { ips: [{ address: '10.7.0.2/24' }] }),
  del: async (ctx) => {
    calls.push(`DEL ${ctx.containerId}`);
    throw new CniError(11, 'store locked', 'try later');
  },
};
const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c9', CNI_NETNS: '/var/run/netns/skel-none', CNI_IFNAME: 'eth0', CNI_PATH: '/nowhere' };
const stdin = JSON.stringify({ cniVersion: '0.3.1', name: 'n', ipam: { type: 'fake-ipam' } });

describe('inProcessRunner', () => {
  test('delegates to a plugin definition with the same stdin and env, CNI_COMMAND replaced', async () => {
    const out = await runWithIo(fixturePlugin, { env, stdin, delegateRunner: inProcessRunner({ 'fake-ipam': fakeIpam }) });
    expect(out.json).toEqual({ cniVersion: '0.3.1', ips: [{ version: '4', address: '10.7.0.2/24' }], dns: {} });
    expect(calls).toEqual([`ADD c9 ${stdin}`]);
  });
  test('the delegate\'s CNI error comes back with its code, msg and details', async () => {
    const out = await runWithIo(fixturePlugin, { env: { ...env, CNI_COMMAND: 'DEL' }, stdin, delegateRunner: inProcessRunner({ 'fake-ipam': fakeIpam }) });
    expect([out.code, out.json]).toEqual([1, { code: 11, msg: 'store locked', details: 'try later' }]);
  });
  test('an unknown type', async () => {
    const out = await runWithIo(fixturePlugin, { env, stdin, delegateRunner: inProcessRunner({}) });
    expect(out.json).toEqual({ code: 999, msg: 'failed to find plugin "fake-ipam" in the in-process runner' });
  });
});

test('a failed ADD releases the IPAM reservation; a failing release is logged and the real error is reported', async () => {
  calls.length = 0;
  const failing = JSON.stringify({ cniVersion: '1.0.0', name: 'n', ipam: { type: 'fake-ipam' }, failAfterIpam: 'veth setup failed' });
  const out = await runWithIo(fixturePlugin, { env, stdin: failing, delegateRunner: inProcessRunner({ 'fake-ipam': fakeIpam }) });
  expect([out.code, out.json]).toEqual([1, { code: 100, msg: 'veth setup failed' }]);
  expect(calls.map((c) => c.split(' ')[0])).toEqual(['ADD', 'DEL']);
  expect(out.stderr).toContain('skel-fixture warn: rollback step failed');
});
