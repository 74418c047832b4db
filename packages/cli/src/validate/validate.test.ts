import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PluginConf } from '@cni-ts/skel';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../install/testing.ts';
import { run } from './command.ts';
import { validateConfig, type ConfigSchema, type SchemaRegistry } from './validate.ts';

// Stand-ins shaped like the real plugin schemas: a main plugin that treats `ipam` as opaque, and an IPAM plugin
// that reads the same request and checks its `ipam` block.
const Main = z.extend(PluginConf, {
  bridge: z.optional(z.string().check(z.maxLength(15))),
  mtu: z.optional(z.int().check(z.minimum(68))),
});
const Ipam = z.extend(PluginConf, {
  ipam: z.looseObject({
    type: z.string(),
    ranges: z.array(z.array(z.object({ subnet: z.string().check(z.regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'not a CIDR')) }))),
  }),
});
const registry: SchemaRegistry = new Map<string, ConfigSchema>([['main', Main], ['ipam', Ipam]]);

const goodList = {
  cniVersion: '1.0.0',
  name: 'net1',
  plugins: [
    { type: 'main', bridge: 'cni0', ipam: { type: 'ipam', ranges: [[{ subnet: '10.1.0.0/16' }]] } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

describe('validateConfig', () => {
  it('accepts a valid conflist, checking each cni-ts plugin and its IPAM with their schemas', () => {
    expect(validateConfig(goodList, registry)).toEqual({ problems: [], checked: ['main', 'ipam'], unchecked: ['portmap'] });
  });

  it('reports every problem of every plugin with its path in the file', () => {
    const list = {
      cniVersion: '1.0.0',
      name: 'net1',
      plugins: [
        { type: 'main', bridge: 'a-name-longer-than-15', mtu: 10, ipam: { type: 'ipam', ranges: [[{ subnet: '10.1.0.0' }], [{}]] } },
        { type: 'main', mtu: 'big' },
      ],
    };
    expect(validateConfig(list, registry).problems).toEqual([
      { path: 'plugins[0].bridge', message: 'must be at most 15 characters long' },
      { path: 'plugins[0].mtu', message: 'must be at least 68' },
      { path: 'plugins[0].ipam.ranges[0][0].subnet', message: 'not a CIDR' },
      { path: 'plugins[0].ipam.ranges[1][0].subnet', message: 'required (expected string)' },
      { path: 'plugins[1].mtu', message: 'expected number, got string' },
    ]);
  });

  it('checks the list itself: name, versions, a non-empty plugins array of typed entries', () => {
    const r = validateConfig({ cniVersion: '9.9.9', name: '-bad', plugins: [{ type: 'a/b' }, {}] }, registry);
    expect(r.problems).toEqual([
      { path: 'cniVersion', message: 'unsupported CNI version "9.9.9" (supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0)' },
      { path: 'name', message: 'name must match ^[a-zA-Z0-9][a-zA-Z0-9_.-]*$' },
      { path: 'plugins[0].type', message: 'type must be a binary name, without "/" or "\\"' },
      { path: 'plugins[1].type', message: 'required (expected string)' },
    ]);
    expect(validateConfig({ name: 'n', plugins: [] }, registry).problems).toEqual([
      { path: 'plugins', message: 'a conflist needs at least one plugin' },
    ]);
  });

  it('checks a single plugin .conf, whose name and cniVersion are its own', () => {
    expect(validateConfig({ cniVersion: '0.4.0', name: 'n', type: 'main', mtu: 9000 }, registry)).toEqual({
      problems: [], checked: ['main'], unchecked: [],
    });
    expect(validateConfig({ cniVersion: '0.4.0', type: 'main' }, registry).problems).toEqual([{ path: 'name', message: 'required (expected string)' }]);
    expect(validateConfig({ cniVersion: '0.4.0' }, registry).problems[0]?.path).toBe('type');
    expect(validateConfig([1], registry).problems).toEqual([{ path: '(root)', message: 'a network configuration must be a JSON object' }]);
  });

  it('reports a problem both schemas find only once', () => {
    const list = { name: 'n', plugins: [{ type: 'main', dns: { nameservers: 'x' }, ipam: { type: 'ipam', ranges: [] } }] };
    expect(validateConfig(list, registry).problems).toEqual([{ path: 'plugins[0].dns.nameservers', message: 'expected array, got string' }]);
  });
});

describe('cni-ts validate', () => {
  async function validate(files: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await run(files, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, registry);
    return { code, stdout, stderr };
  }

  it('prints "ok" per valid file and exits 0', async () => {
    using t = tempDir('cni-ts-validate-');
    const file = join(t.path, '10-net1.conflist');
    writeFileSync(file, JSON.stringify(goodList));
    expect(await validate([file])).toEqual({ code: 0, stdout: `${file}: ok (checked: main, ipam; not cni-ts plugins, not checked: portmap)\n`, stderr: '' });
  });

  it('prints every problem of every file as "<file>: <path>: <message>" and exits 1', async () => {
    using t = tempDir('cni-ts-validate-');
    const bad = join(t.path, 'bad.conflist');
    const broken = join(t.path, 'broken.conflist');
    const good = join(t.path, 'good.conflist');
    writeFileSync(bad, JSON.stringify({ name: 'n', plugins: [{ type: 'main', mtu: 1 }, { type: 'main', bridge: 'x'.repeat(16) }] }));
    writeFileSync(broken, '{"name": ');
    writeFileSync(good, JSON.stringify(goodList));
    const r = await validate([bad, broken, good, join(t.path, 'missing.conflist')]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${bad}: plugins[0].mtu: must be at least 68`,
      `${bad}: plugins[1].bridge: must be at most 15 characters long`,
      `${bad}: 2 problems`,
      expect.stringMatching(new RegExp(`^${broken}: not valid JSON: `)),
      `${good}: ok (checked: main, ipam; not cni-ts plugins, not checked: portmap)`,
      `${join(t.path, 'missing.conflist')}: cannot read: ENOENT`,
      '',
    ]);
  });

  it('exits 2 without a file', async () => {
    expect((await validate([])).code).toBe(2);
  });
});
