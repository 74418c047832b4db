// The fixture plugin bundled with esbuild (the plugin settings of scripts/esbuild-options.mjs, which
// scripts/bundle.mjs uses for every plugin) and run as a real process: exit codes, stdout purity and stderr, exactly as a runtime sees them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

let dir = '';
let plugin = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skel-process-'));
  plugin = join(dir, 'skel-fixture');
  await build({
    ...pluginBundleOptions({ version: '0.1.0' }),
    entryPoints: [new URL('./fixture-plugin/main.ts', import.meta.url).pathname],
    outfile: plugin,
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync(plugin, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = { CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/skel-process-none', CNI_IFNAME: 'eth0', CNI_PATH: '/nowhere' };

function exec(env: Record<string, string>, stdin: string, args: string[] = []) {
  // A clean environment, as a runtime gives (PATH so that `#!/usr/bin/env node` finds node).
  const r = spawnSync(plugin, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, input: stdin, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const reference = (name: string) =>
  JSON.parse(readFileSync(new URL(`./reference/${name}.json`, import.meta.url), 'utf8')) as { stdoutRaw: string; exitCode: number };

describe('the bundled fixture plugin as a process', () => {
  test('VERSION: compact JSON and a newline on stdout, exit 0', () => {
    expect(exec({ CNI_COMMAND: 'VERSION' }, '')).toEqual({
      code: 0,
      stdout: '{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n',
      stderr: '',
    });
  });
  test('no CNI_COMMAND: the about banner on stderr, nothing on stdout, exit 0', () => {
    expect(exec({}, '')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'CNI skel-fixture plugin v0.0.0-test\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n',
    });
  });
  test('truncated JSON: the reference bytes and exit 1', () => {
    const ref = reference('bad-json');
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD' }, '{"cniVersion":"1.0.0","name":"cni-bench","type":');
    expect([out.code, out.stdout, out.stderr]).toEqual([ref.exitCode, ref.stdoutRaw, '']);
  });
  test('missing env: code 4 and exit 1', () => {
    const out = exec({ CNI_COMMAND: 'ADD' }, '{}');
    expect([out.code, JSON.parse(out.stdout)]).toEqual([1, { code: 4, msg: 'required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing' }]);
  });
  test('ADD prints only the result, in the config version, with debug logs on stderr', () => {
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD', CNI_TS_LOG_LEVEL: 'debug' }, '{"cniVersion":"0.2.0","name":"n"}');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('{\n    "cniVersion": "0.2.0",\n    "ip4": {\n        "ip": "10.201.0.2/16",\n        "gateway": "10.201.0.1"\n    },\n    "dns": {}\n}');
    expect(out.stderr).toMatch(/^skel-fixture debug: invoked /);
  });
  test('an untyped error from the plugin: code 999, exit 1', () => {
    const out = exec({ ...baseEnv, CNI_COMMAND: 'DEL' }, '{"cniVersion":"1.0.0","name":"n","throwPlain":"kaput"}');
    expect([out.code, out.stdout, out.stderr]).toEqual([1, '{\n    "code": 999,\n    "msg": "kaput"\n}', '']);
  });
  test('CNI_NETNS naming the plugin\'s own netns: code 8', () => {
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD', CNI_NETNS: '/proc/self/ns/net' }, '{"cniVersion":"1.0.0","name":"n"}');
    expect([out.code, JSON.parse(out.stdout).code]).toEqual([1, 8]);
  });
  test('the config from a file named on the command line when stdin is empty', () => {
    const conf = join(dir, 'net.conf');
    writeFileSync(conf, '{"cniVersion":"0.4.0","name":"from-file"}');
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD' }, '', [conf]);
    expect([out.code, JSON.parse(out.stdout).cniVersion]).toEqual([0, '0.4.0']);
  });
  test('delegation: the IPAM executable gets our stdin, its result is converted, its stderr reaches ours', () => {
    const ipamDir = join(dir, 'cni-bin');
    const ipam = join(ipamDir, 'fake-ipam');
    mkdirSync(ipamDir, { recursive: true });
    writeFileSync(
      ipam,
      `#!/bin/sh\ncat > "${ipamDir}/stdin.$CNI_COMMAND"\necho "ipam ran $CNI_COMMAND" >&2\n` +
        `[ "$CNI_COMMAND" = ADD ] && printf '%s' '{"cniVersion":"1.1.0","ips":[{"address":"10.22.0.5/24","gateway":"10.22.0.1"}],"routes":[{"dst":"0.0.0.0/0","mtu":1400}]}'\nexit 0\n`,
    );
    chmodSync(ipam, 0o755);
    const stdin = '{"cniVersion":"0.4.0","name":"n","ipam":{"type":"fake-ipam","custom":1}}';
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD', CNI_PATH: `/nowhere:${ipamDir}` }, stdin);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      cniVersion: '0.4.0',
      ips: [{ version: '4', address: '10.22.0.5/24', gateway: '10.22.0.1' }],
      routes: [{ dst: '0.0.0.0/0', mtu: 1400 }],
      dns: {},
    });
    expect(out.stderr).toBe('ipam ran ADD\n');
    expect(readFileSync(join(ipamDir, 'stdin.ADD'), 'utf8')).toBe(stdin);
    const del = exec({ ...baseEnv, CNI_COMMAND: 'DEL', CNI_PATH: ipamDir }, stdin);
    expect([del.code, del.stdout, del.stderr]).toEqual([0, '', 'ipam ran DEL\n']);
  });
  test('a result larger than a pipe buffer arrives whole', () => {
    const ips = Array.from({ length: 3000 }, (_, i) => ({ address: `10.${i >> 8}.${i & 255}.1/32` }));
    const out = exec({ ...baseEnv, CNI_COMMAND: 'ADD' }, JSON.stringify({ cniVersion: '1.1.0', name: 'n', result: { cniVersion: '1.1.0', ips } }));
    expect(out.stdout.length).toBeGreaterThan(128 * 1024);
    expect((JSON.parse(out.stdout) as { ips: unknown[] }).ips).toHaveLength(3000);
  });
});
