// The "Write a plugin on skel" example in README.md, extracted, bundled with esbuild and run as a process.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
let dir = '';
let plugin = '';

/** The ```ts block right after the `<!-- tested: ... -->` marker. */
function readmeExample(): string {
  const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
  const m = /<!-- tested: test\/readme-example\.test\.ts -->\n```ts\n([\s\S]*?)\n```/.exec(readme);
  if (!m?.[1]) throw new Error('README.md has no tested example block');
  return m[1];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skel-readme-'));
  plugin = join(dir, 'fixed-ip');
  const common = pluginBundleOptions({ version: '0.1.0' });
  await build({
    ...common,
    stdin: { contents: readmeExample(), resolveDir: pkgDir, loader: 'ts', sourcefile: 'README-example.ts' },
    alias: { ...common.alias, '@cni-ts/skel': join(pkgDir, 'src/index.ts') },
    outfile: plugin,
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync(plugin, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/skel-readme-none', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin' };
function exec(extra: Record<string, string>, conf: object | string) {
  const input = typeof conf === 'string' ? conf : JSON.stringify(conf);
  const r = spawnSync(plugin, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, ...extra }, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: r.stdout ? (JSON.parse(r.stdout) as unknown) : undefined };
}
const conf = (cniVersion: string, ipam: object = { type: 'fixed-ip', address: '10.1.0.5/24', gateway: '10.1.0.1' }) => ({
  cniVersion,
  name: 'n',
  type: 'fixed-ip',
  ipam,
});

describe('the README example plugin', () => {
  test('ADD prints the configured address in the config version', () => {
    expect(exec({ CNI_COMMAND: 'ADD' }, conf('0.2.0')).json).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.1.0.5/24', gateway: '10.1.0.1' },
      dns: {},
    });
    expect(exec({ CNI_COMMAND: 'ADD' }, conf('1.1.0')).json).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.1.0.5/24', gateway: '10.1.0.1' }],
      dns: {},
    });
  });
  test('CNI_ARGS IP overrides it, other keys are ignored', () => {
    const out = exec({ CNI_COMMAND: 'ADD', CNI_ARGS: 'K8S_POD_NAME=web;IP=10.1.0.9/24' }, conf('1.0.0'));
    expect(out.json).toMatchObject({ ips: [{ address: '10.1.0.9/24' }] });
  });
  test('a bad address is code 7 naming the field', () => {
    const out = exec({ CNI_COMMAND: 'ADD' }, conf('1.0.0', { type: 'fixed-ip', address: 'x' }));
    expect([out.code, out.json]).toEqual([1, { code: 7, msg: 'invalid config: ipam.address: invalid IPv4 CIDR: "x"' }]);
  });
  test('CHECK against prevResult, DEL, and the about banner', () => {
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '10.1.0.5/24' }] };
    expect(exec({ CNI_COMMAND: 'CHECK' }, { ...conf('1.0.0'), prevResult }).code).toBe(0);
    const bad = exec({ CNI_COMMAND: 'CHECK' }, { ...conf('1.0.0'), prevResult: { cniVersion: '1.0.0', ips: [] } });
    expect([bad.code, bad.json]).toEqual([1, { code: 7, msg: 'address 10.1.0.5/24 is not in prevResult' }]);
    expect(exec({ CNI_COMMAND: 'DEL' }, conf('1.0.0'))).toMatchObject({ code: 0, stdout: '' });
    expect(exec({}, '').stderr).toBe('CNI fixed-ip plugin v0.1.0\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n');
  });
});
