// The dispatcher in-process, with injected env and stdin (house style A2.1): version gates, the same-netns check,
// error conversion, what each verb's callback receives, and the process boundary.
import { describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { addResult, conf, env, recorder } from '../test/recorder.ts';
import { PluginConf } from './config.ts';
import { runPlugin } from './dispatch.ts';
import { CniError } from './errors.ts';
import type { GcContext, PluginDefinition } from './plugin.ts';
import type { Result } from './result/model.ts';
import { runWithIo as run } from './testing/run-with-io.ts';
import type { CniVersion } from './versions.ts';

describe('version gates', () => {
  const gate = async (command: string, cniVersion: string | undefined, supported?: CniVersion[]) => {
    const { def, seen } = recorder(supported ? { supportedVersions: supported } : {});
    const stdin = conf({ cniVersion });
    const out = await run(def, { env: env(command), stdin });
    return { ...out, ran: seen.length > 0, version: seen[0]?.cniVersion };
  };
  test('ADD and DEL need a supported version; Go prints the list with %q', async () => {
    for (const verb of ['ADD', 'DEL']) {
      const out = await gate(verb, '1.1.0', ['0.4.0', '1.0.0']);
      expect(out.json).toEqual({ code: 1, msg: 'incompatible CNI versions', details: 'config is "1.1.0", plugin supports ["0.4.0" "1.0.0"]' });
      expect(out.ran).toBe(false);
    }
  });
  test('a missing or empty cniVersion is 0.1.0', async () => {
    expect((await gate('ADD', undefined)).version).toBe('0.1.0');
    expect((await gate('ADD', '')).version).toBe('0.1.0');
    expect((await gate('ADD', undefined)).json).toEqual({ cniVersion: '0.1.0', ip4: { ip: '10.0.0.2/24', gateway: '10.0.0.1' }, dns: {} });
  });
  test.each([
    ['CHECK', '0.3.1', 'config version does not allow CHECK'],
    ['CHECK', undefined, 'config version does not allow CHECK'],
    ['STATUS', '1.0.0', 'config version does not allow STATUS'],
    ['GC', '1.0.0', 'config version does not allow GC'],
  ])('%s at %s → code 1', async (verb, v, msg) => {
    const out = await gate(verb, v);
    expect([out.json, out.ran]).toEqual([{ code: 1, msg }, false]);
  });
  test.each([
    ['CHECK', '0.4.0'],
    ['CHECK', '1.1.0'],
    ['STATUS', '1.1.0'],
    ['GC', '1.1.0'],
  ])('%s at %s runs the callback', async (verb, v) => {
    const out = await gate(verb, v);
    expect([out.code, out.stdout, out.ran]).toEqual([0, '', true]);
  });
  test('a plugin that stops below the config version refuses the verb', async () => {
    const out = await gate('GC', '1.1.0', ['0.4.0', '1.0.0']);
    expect(out.json).toEqual({ code: 1, msg: 'plugin version does not allow GC' });
  });
  test('CHECK with an unlisted newer version falls through to the support check', async () => {
    const out = await gate('CHECK', '0.4.1');
    expect(out.json).toMatchObject({ code: 1, msg: 'incompatible CNI versions' });
  });
  test('an unparsable version under a gated verb is a decoding failure with Go\'s words', async () => {
    expect((await gate('CHECK', 'abc')).json).toEqual({
      code: 6,
      msg: 'failed to convert major version part "abc": strconv.Atoi: parsing "abc": invalid syntax',
    });
    expect((await gate('ADD', 'abc')).json).toMatchObject({ code: 1, msg: 'incompatible CNI versions' });
  });
  test('absent check, status and gc callbacks succeed without doing anything', async () => {
    const def: PluginDefinition<PluginConf> = { name: 'min', config: PluginConf, add: async () => addResult, del: async () => {} };
    for (const verb of ['CHECK', 'STATUS', 'GC']) {
      expect(await run(def, { env: env(verb), stdin: conf() })).toMatchObject({ code: 0, stdout: '' });
    }
  });
});

describe('the same-netns check runs before the callback', () => {
  test.each(['ADD', 'CHECK', 'DEL'])('%s with CNI_NETNS = our own netns → code 8', async (verb) => {
    const { def, seen } = recorder();
    const out = await run(def, { env: env(verb, { CNI_NETNS: '/proc/self/ns/net' }), stdin: conf() });
    expect(out.json).toEqual({ code: 8, msg: "plugin's netns and netns from CNI_NETNS should not be the same" });
    expect(seen).toEqual([]);
  });
  test.each(['1', 'true', 'TRUE'])('CNI_NETNS_OVERRIDE=%s skips it', async (override) => {
    const out = await run(recorder().def, { env: env('ADD', { CNI_NETNS: '/proc/self/ns/net', CNI_NETNS_OVERRIDE: override }), stdin: conf() });
    expect(out.code).toBe(0);
  });
  test('a netns path that does not exist is left to the plugin (DEL must succeed)', async () => {
    const { def, seen } = recorder();
    const out = await run(def, { env: env('DEL', { CNI_NETNS: '/var/run/netns/skel-gone-1234' }), stdin: conf() });
    expect([out.code, seen[0]?.netns]).toEqual([0, '/var/run/netns/skel-gone-1234']);
  });
});

describe('errors from the plugin', () => {
  const failing = (err: unknown) => recorder({ add: async () => Promise.reject(err) }).def;
  test('a CniError is printed as is, with Go\'s field order and escaping', async () => {
    const out = await run(failing(new CniError(11, 'lock <busy> & held', 'try later')), { env: env('ADD'), stdin: conf() });
    expect(out.stdout).toBe('{\n    "code": 11,\n    "msg": "lock \\u003cbusy\\u003e \\u0026 held",\n    "details": "try later"\n}');
    expect(out.code).toBe(1);
  });
  test('an untyped error is code 999 with its message', async () => {
    expect((await run(failing(new Error('boom')), { env: env('ADD'), stdin: conf() })).json).toEqual({ code: 999, msg: 'boom' });
    expect((await run(failing('a string'), { env: env('ADD'), stdin: conf() })).json).toEqual({ code: 999, msg: 'a string' });
  });
  test('a zod error thrown by plugin code is code 7 naming the field', async () => {
    const schema = z.object({ hostPort: z.int() });
    const def = recorder({ add: async () => (schema.parse({ hostPort: 'x' }), addResult) }).def;
    expect((await run(def, { env: env('ADD'), stdin: conf() })).json).toEqual({ code: 7, msg: 'invalid config: hostPort: expected number' });
  });
  test('an L2-only result for a 0.2.0 config fails with the reference message', async () => {
    const def = recorder({ add: async () => ({ interfaces: [{ name: 'eth0' }] }) }).def;
    expect((await run(def, { env: env('ADD'), stdin: conf({ cniVersion: '0.2.0' }) })).json).toMatchObject({
      code: 999,
      msg: 'cannot convert: no valid IP addresses',
    });
  });
  test('nothing but the protocol reaches stdout, even with debug logging', async () => {
    const def = recorder({ add: async (ctx) => (ctx.log.info('hello', { a: 1 }), addResult) }).def;
    const out = await run(def, { env: env('ADD', { CNI_TS_LOG_LEVEL: 'debug' }), stdin: conf() });
    expect(JSON.parse(out.stdout)).toEqual({ cniVersion: '1.1.0', ips: [{ address: '10.0.0.2/24', gateway: '10.0.0.1' }], dns: {} });
    expect(out.stderr).toContain('recorder info: hello {"a":1}\n');
    expect(out.stderr).toContain('recorder debug: invoked');
  });
});

describe('what the callbacks receive', () => {
  test('CNI_ARGS, CNI_PATH and the verb', async () => {
    const { def, seen } = recorder();
    await run(def, { env: env('ADD', { CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAME=web;MAC=c2:11:22:33:44:55;X=a=b' }), stdin: conf() });
    const ctx = seen[0];
    expect(ctx?.args.get('mac')).toBe('c2:11:22:33:44:55');
    expect(ctx?.args.get('X')).toBe('a=b');
    expect(ctx?.cniPath).toEqual(['/opt/cni/bin', '/usr/lib/cni']);
    expect(ctx?.command).toBe('ADD');
  });
  test('prevResult is parsed into the 1.x model; a version-less one takes the config version', async () => {
    const { def, seen } = recorder({ add: async (ctx) => (seen.push(ctx), ctx.prevResult ?? addResult) });
    const prevResult = { ips: [{ version: '4', address: '10.9.0.2/24' }], dns: { nameservers: ['10.9.0.1'] } };
    const out = await run(def, { env: env('ADD'), stdin: conf({ cniVersion: '0.4.0', prevResult }) });
    expect(seen[0]?.prevResult).toEqual({ cniVersion: '0.4.0', ips: [{ address: '10.9.0.2/24' }], dns: { nameservers: ['10.9.0.1'] } });
    // a chained plugin that changes nothing prints its prevResult
    expect(out.json).toEqual({ cniVersion: '0.4.0', ips: [{ version: '4', address: '10.9.0.2/24' }], dns: { nameservers: ['10.9.0.1'] } });
  });
  test('an invalid prevResult is code 7 naming the field', async () => {
    const out = await run(recorder().def, { env: env('DEL'), stdin: conf({ prevResult: { cniVersion: '1.0.0', ips: [{ address: 'x' }] } }) });
    expect(out.json).toMatchObject({ code: 7, msg: 'invalid prevResult: ips[0].address: expected an address in CIDR form, e.g. "10.1.0.5/16"' });
  });
  test('GC gets the valid attachments (or libcni\'s misspelled key; none means nothing is valid)', async () => {
    const attachments = [{ containerID: 'c1', ifname: 'eth0' }, { containerID: 'c2', ifname: 'net1' }];
    const want = [{ containerId: 'c1', ifName: 'eth0' }, { containerId: 'c2', ifName: 'net1' }];
    for (const [extra, expected] of [
      [{ 'cni.dev/valid-attachments': attachments }, want],
      [{ 'cni.dev/attachments': attachments }, want],
      [{}, []],
    ] as const) {
      const { def, seen } = recorder();
      await run(def, { env: env('GC'), stdin: conf(extra) });
      expect((seen[0] as GcContext<PluginConf>).validAttachments).toEqual(expected);
    }
    const bad = await run(recorder().def, { env: env('GC'), stdin: conf({ 'cni.dev/valid-attachments': [{ containerID: 1 }] }) });
    expect(bad.json).toMatchObject({ code: 7, msg: expect.stringContaining('cni.dev/valid-attachments[0]') });
  });
  test('independent failures reported together (AggregateError) keep a shared code', async () => {
    const def = recorder({
      gc: async () => {
        throw new AggregateError([new CniError(11, 'a busy'), new CniError(11, 'b busy')], 'gc failed');
      },
    }).def;
    expect((await run(def, { env: env('GC'), stdin: conf() })).json).toEqual({ code: 11, msg: 'gc failed', details: 'a busy; b busy' });
  });
});

describe('robustness at the process boundary', () => {
  test('runPlugin never rejects: a closed stdout makes it exit 1', async () => {
    let stderr = '';
    const code = await runPlugin(recorder().def, {
      env: env('ADD'),
      stdin: async () => Buffer.from(conf()),
      stdout: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
      stderr: (s) => (stderr += s),
      argv: [],
      stdinIsTTY: false,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('recorder error: cannot write to stdout');
  });
  test('an ADD callback that returns nothing is an internal error, not a crash', async () => {
    const def = recorder({ add: async () => undefined as unknown as Result }).def;
    expect((await run(def, { env: env('ADD'), stdin: conf() })).json).toEqual({ code: 999, msg: 'plugin recorder returned no result for ADD' });
  });
});
