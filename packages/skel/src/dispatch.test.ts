// The dispatcher in-process, with injected env and stdin (house style A2.1): env table, identifiers, version
// gates, the same-netns check, config sources, error conversion, and what each verb's callback receives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { PluginConf } from './config.ts';
import { CniError } from './errors.ts';
import type { CommandContext, GcContext, PluginDefinition } from './plugin.ts';
import type { Result } from './result/model.ts';
import { runWithIo, type RunInput } from './testing/run-with-io.ts';
import type { CniVersion } from './versions.ts';

const env = (command: string, extra: Record<string, string | undefined> = {}) => ({
  CNI_COMMAND: command,
  CNI_CONTAINERID: 'c1',
  CNI_NETNS: '/var/run/netns/skel-test-none',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin:/usr/lib/cni',
  ...extra,
});
const conf = (extra: object = {}) => JSON.stringify({ cniVersion: '1.1.0', name: 'net1', type: 'test', ...extra });
const addResult: Result = { ips: [{ address: '10.0.0.2/24', gateway: '10.0.0.1' }] };

/** A plugin whose callbacks record the context they got. */
function recorder(over: Partial<PluginDefinition<PluginConf>> = {}) {
  const seen: CommandContext<PluginConf>[] = [];
  const def: PluginDefinition<PluginConf> = {
    name: 'recorder',
    config: PluginConf,
    add: async (ctx) => (seen.push(ctx), addResult),
    del: async (ctx) => void seen.push(ctx),
    check: async (ctx) => void seen.push(ctx),
    status: async (ctx) => void seen.push(ctx),
    gc: async (ctx) => void seen.push(ctx),
    ...over,
  };
  return { def, seen };
}

async function run(def: PluginDefinition<any>, input: RunInput) {
  return runWithIo(def, input);
}

describe('environment', () => {
  test.each([
    ['ADD', '[CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH]'],
    ['CHECK', '[CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH]'],
    ['DEL', '[CNI_CONTAINERID,CNI_IFNAME,CNI_PATH]'],
    ['STATUS', '[CNI_PATH]'],
    ['GC', '[CNI_PATH]'],
  ])('%s reports every missing variable at once: %s', async (command, list) => {
    const { def, seen } = recorder();
    const out = await run(def, { env: { CNI_COMMAND: command }, stdin: conf() });
    expect(out.json).toEqual({ code: 4, msg: `required env variables ${list} missing` });
    expect(out.code).toBe(1);
    expect(seen).toEqual([]);
  });
  test('an empty variable counts as missing', async () => {
    const out = await run(recorder().def, { env: env('ADD', { CNI_IFNAME: '' }), stdin: conf() });
    expect(out.json).toEqual({ code: 4, msg: 'required env variables [CNI_IFNAME] missing' });
  });
  test('DEL needs no CNI_NETNS; GC and STATUS need only CNI_PATH (libcni sends the ids empty)', async () => {
    const { def, seen } = recorder();
    expect((await run(def, { env: env('DEL', { CNI_NETNS: undefined }), stdin: conf() })).code).toBe(0);
    for (const verb of ['GC', 'STATUS']) {
      const out = await run(def, { env: { CNI_COMMAND: verb, CNI_PATH: '/opt/cni/bin', CNI_CONTAINERID: '', CNI_IFNAME: '', CNI_NETNS: '' }, stdin: conf() });
      expect([out.code, out.stdout]).toEqual([0, '']);
    }
    expect(seen.map((c) => [c.command, c.containerId, c.ifName, c.netns])).toEqual([
      ['DEL', 'c1', 'eth0', ''],
      ['GC', '', '', ''],
      ['STATUS', '', '', ''],
    ]);
  });
  test('VERSION needs nothing but CNI_COMMAND and never reads stdin', async () => {
    let read = false;
    const out = await runWithIo(recorder().def, { env: { CNI_COMMAND: 'VERSION' }, stdin: 'not json' });
    expect(out.code).toBe(0);
    const { runPlugin } = await import('./dispatch.ts');
    let stdout = '';
    const code = await runPlugin(recorder().def, {
      env: { CNI_COMMAND: 'VERSION' },
      stdin: async () => ((read = true), Buffer.alloc(0)),
      stdout: (s) => (stdout += s),
      stderr: () => {},
      argv: [],
      stdinIsTTY: false,
    });
    expect([code, read, JSON.parse(stdout).cniVersion]).toEqual([0, false, '1.1.0']);
  });
  test('an unknown verb is rejected before anything else', async () => {
    const out = await run(recorder().def, { env: { CNI_COMMAND: 'add' }, stdin: '' });
    expect(out.json).toEqual({ code: 4, msg: 'unknown CNI_COMMAND: add' });
  });
  test('the about banner names the plugin, its version and the supported versions', async () => {
    const { def } = recorder({ version: 'v9.8.7', supportedVersions: ['0.4.0', '1.0.0', '1.1.0'] });
    const out = await run(def, { env: {}, stdin: conf() });
    expect([out.code, out.stdout, out.stderr]).toEqual([0, '', 'CNI recorder plugin v9.8.7\nCNI protocol versions supported: 0.4.0, 1.0.0, 1.1.0\n']);
    expect((await run(recorder().def, { env: {} })).stderr).toMatch(/^CNI recorder plugin version unknown\n/);
  });
});

describe('container id, interface name and network name', () => {
  test.each([
    ['bad/id', 'invalid characters in containerID'],
    ['-leading-dash', 'invalid characters in containerID'],
    ['has space', 'invalid characters in containerID'],
  ])('container id %j', async (id, msg) => {
    const out = await run(recorder().def, { env: env('ADD', { CNI_CONTAINERID: id }), stdin: conf() });
    expect(out.json).toEqual({ code: 4, msg, details: id });
  });
  test.each([
    ['.', 'interface name is . or ..'],
    ['..', 'interface name is . or ..'],
    ['a/b', 'interface name contains / or : or whitespace characters'],
    ['eth0:1', 'interface name contains / or : or whitespace characters'],
    ['eth 0', 'interface name contains / or : or whitespace characters'],
    ['eth\t0', 'interface name contains / or : or whitespace characters'],
  ])('interface name %j', async (ifName, msg) => {
    const out = await run(recorder().def, { env: env('DEL', { CNI_IFNAME: ifName }), stdin: conf() });
    expect(out.json).toEqual({ code: 4, msg });
  });
  test('15 bytes is the longest interface name; bytes count, not characters', async () => {
    expect((await run(recorder().def, { env: env('ADD', { CNI_IFNAME: 'a'.repeat(15) }), stdin: conf() })).code).toBe(0);
    const out = await run(recorder().def, { env: env('ADD', { CNI_IFNAME: 'éééééééé' }), stdin: conf() }); // 8 chars, 16 bytes
    expect(out.json).toEqual({ code: 4, msg: 'interface name is too long', details: 'interface name should be less than 16 characters' });
  });
  test('ids given to GC are still validated', async () => {
    const out = await run(recorder().def, { env: { CNI_COMMAND: 'GC', CNI_PATH: '/x', CNI_IFNAME: 'a/b' }, stdin: conf() });
    expect(out.json).toMatchObject({ code: 4 });
  });
  test.each([
    [{ name: undefined }, { code: 7, msg: 'missing network name' }],
    [{ name: '' }, { code: 7, msg: 'missing network name' }],
    [{ name: 'bad name' }, { code: 7, msg: 'invalid characters found in network name', details: 'bad name' }],
    [{ name: 5 }, { code: 6, msg: 'error unmarshall network config: name: expected string, got number' }],
  ])('network name %j', async (extra, want) => {
    const out = await run(recorder().def, { env: env('ADD'), stdin: conf(extra) });
    expect(out.json).toEqual(want);
  });
});

describe('config decoding', () => {
  test.each([
    ['', 'error unmarshall network config: unexpected end of JSON input'],
    ['   \n', 'error unmarshall network config: unexpected end of JSON input'],
    ['{"cniVersion":"1.0.0","name":', 'error unmarshall network config: unexpected end of JSON input'],
    ['{"name":"x', 'error unmarshall network config: unexpected end of JSON input'],
    ['{"name":x}', "error unmarshall network config: invalid character 'x'"],
    ['{x}', "error unmarshall network config: invalid character 'x' at position 1"],
    ['[1,2]', 'error unmarshall network config: expected a JSON object, got array'],
    ['"str"', 'error unmarshall network config: expected a JSON object, got string'],
  ])('%j → code 6', async (stdin, msg) => {
    const out = await run(recorder().def, { env: env('ADD'), stdin });
    expect(out.json).toEqual({ code: 6, msg });
  });
  test('JSON null decodes like Go: an empty config without a name', async () => {
    expect((await run(recorder().def, { env: env('ADD'), stdin: 'null' })).json).toEqual({ code: 7, msg: 'missing network name' });
  });
  test('a non-string cniVersion is a decoding failure', async () => {
    const out = await run(recorder().def, { env: env('ADD'), stdin: conf({ cniVersion: 1 }) });
    expect(out.json).toEqual({ code: 6, msg: 'decoding version from network config: cniVersion: expected string, got number' });
  });
  test('a config schema failure is code 7 naming the full path of the field', async () => {
    const Conf = z.extend(PluginConf, {
      ipam: z.object({ type: z.string(), ranges: z.array(z.array(z.object({ subnet: z.cidrv4() }))) }),
      mtu: z.optional(z.int().check(z.minimum(68))),
    });
    const def: PluginDefinition<z.output<typeof Conf>> = { name: 'p', config: Conf, add: async () => addResult, del: async () => {} };
    const bad = { ipam: { type: 'x', ranges: [[{ subnet: '10.0.0.0/8' }, { subnet: 'nope' }]] }, mtu: 10 };
    const out = await run(def, { env: env('ADD'), stdin: conf(bad) });
    expect(out.json).toEqual({
      code: 7,
      msg: 'invalid config: ipam.ranges[0][1].subnet: invalid IPv4 CIDR: "nope"',
      details: 'ipam.ranges[0][1].subnet: invalid IPv4 CIDR: "nope"; mtu: must be at least 68',
    });
  });
  test('the callback gets the parsed config, the raw object and the exact stdin bytes; unknown keys pass through', async () => {
    const { def, seen } = recorder();
    const stdin = `  ${conf({ custom: { deep: true } })}\n`;
    await run(def, { env: env('ADD'), stdin });
    expect(seen[0]?.stdin.toString()).toBe(stdin);
    expect(seen[0]?.conf).toMatchObject({ name: 'net1', custom: { deep: true } });
    expect(seen[0]?.raw).toMatchObject({ custom: { deep: true } });
  });
});

describe('config from a file named on the command line', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = () => {
    dir = mkdtempSync(join(tmpdir(), 'skel-conf-'));
    const p = join(dir, 'net.conf');
    writeFileSync(p, conf({ name: 'from-file' }));
    return p;
  };
  test('used when stdin is empty', async () => {
    const { def, seen } = recorder();
    const out = await run(def, { env: env('ADD'), stdin: '', argv: ['node', 'plugin', file()] });
    expect(out.code).toBe(0);
    expect(seen[0]?.conf.name).toBe('from-file');
  });
  test('used when stdin is a terminal, which is then never read', async () => {
    const { def, seen } = recorder();
    const out = await run(def, { env: env('ADD'), stdin: conf(), stdinIsTTY: true, argv: ['node', 'plugin', file()] });
    expect(out.code).toBe(0);
    expect(seen[0]?.conf.name).toBe('from-file');
  });
  test('ignored when stdin has the config', async () => {
    const { def, seen } = recorder();
    await run(def, { env: env('ADD'), stdin: conf(), argv: ['node', 'plugin', file()] });
    expect(seen[0]?.conf.name).toBe('net1');
  });
  test('an unreadable file is an I/O failure (code 5) naming it', async () => {
    const out = await run(recorder().def, { env: env('ADD'), stdin: '', argv: ['node', 'plugin', '/nonexistent/skel.conf'] });
    expect(out.json).toMatchObject({ code: 5, msg: expect.stringMatching(/^error reading config file "\/nonexistent\/skel.conf": ENOENT/) });
  });
  test('a stdin read error is code 5', async () => {
    const { runPlugin } = await import('./dispatch.ts');
    let stdout = '';
    const code = await runPlugin(recorder().def, {
      env: env('ADD'),
      stdin: async () => {
        throw new Error('EIO: i/o error, read');
      },
      stdout: (s) => (stdout += s),
      stderr: () => {},
      argv: [],
      stdinIsTTY: false,
    });
    expect([code, JSON.parse(stdout)]).toEqual([1, { code: 5, msg: 'error reading from stdin: EIO: i/o error, read' }]);
  });
});

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
    const { runPlugin } = await import('./dispatch.ts');
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
