// The dispatcher in-process, with injected env and stdin (house style A2.1): the environment table, container id,
// interface and network name rules, config decoding and where the config comes from.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as z from 'zod/mini';
import { addResult, conf, env, recorder } from '../test/recorder.ts';
import { PluginConf } from './config.ts';
import { runPlugin } from './dispatch.ts';
import type { PluginDefinition } from './plugin.ts';
import { runWithIo as run } from './testing/run-with-io.ts';

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
    const out = await run(recorder().def, { env: { CNI_COMMAND: 'VERSION' }, stdin: 'not json' });
    expect(out.code).toBe(0);
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
    ['eth\u00000', 'interface name contains a NUL character'],
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
    [{ name: '../x' }, { code: 7, msg: 'invalid characters found in network name', details: '../x' }],
    [{ name: 'n'.repeat(256) }, { code: 7, msg: 'network name is too long', details: '256 bytes; at most 255 (it names state directories)' }],
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
