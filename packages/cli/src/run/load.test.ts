import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadNetworkConfigList } from './load.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cni-ts-load-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const put = (name: string, o: unknown) => writeFile(join(dir, name), typeof o === 'string' ? o : JSON.stringify(o));

describe('loadNetworkConfigList', () => {
  it('finds a conflist by network name, in sorted file order', async () => {
    await put('20-b.conflist', { name: 'net', cniVersion: '1.0.0', plugins: [{ type: 'second' }] });
    await put('10-a.conflist', { name: 'net', cniVersion: '1.0.0', plugins: [{ type: 'first' }] });
    await put('30-c.conflist', { name: 'other', cniVersion: '1.0.0', plugins: [{ type: 'x' }] });
    expect((await loadNetworkConfigList(dir, 'net')).plugins.map((p) => p.type)).toEqual(['first']);
    expect((await loadNetworkConfigList(dir, 'other')).plugins.map((p) => p.type)).toEqual(['x']);
  });

  it('appends <dir>/<network>/*.conf plugins unless loadOnlyInlinedPlugins', async () => {
    await put('a.conflist', { name: 'net', cniVersion: '1.1.0', plugins: [{ type: 'bridge' }] });
    await put('b.conflist', { name: 'inl', cniVersion: '1.1.0', loadOnlyInlinedPlugins: true, plugins: [{ type: 'bridge' }] });
    await mkdir(join(dir, 'net'));
    await mkdir(join(dir, 'inl'));
    await writeFile(join(dir, 'net', '10-portmap.conf'), JSON.stringify({ type: 'portmap' }));
    await writeFile(join(dir, 'inl', '10-portmap.conf'), JSON.stringify({ type: 'portmap' }));
    expect((await loadNetworkConfigList(dir, 'net')).plugins.map((p) => p.type)).toEqual(['bridge', 'portmap']);
    expect((await loadNetworkConfigList(dir, 'inl')).plugins.map((p) => p.type)).toEqual(['bridge']);
  });

  it('falls back to single-plugin .conf/.json files, up-converted', async () => {
    await put('a.conflist', { name: 'net', cniVersion: '1.0.0', plugins: [{ type: 'bridge' }] });
    await put('99-old.json', { name: 'old', cniVersion: '0.2.0', type: 'bridge' });
    const l = await loadNetworkConfigList(dir, 'old');
    expect([l.name, l.cniVersion, l.plugins.map((p) => p.type)]).toEqual(['old', '0.2.0', ['bridge']]);
  });

  it('says what is missing', async () => {
    await expect(loadNetworkConfigList(dir, 'x')).rejects.toThrow(`no net configurations found in ${dir}`);
    await expect(loadNetworkConfigList(join(dir, 'absent'), 'x')).rejects.toThrow('no net configurations found in');
    await put('a.conflist', { name: 'net', plugins: [{ type: 'bridge' }] });
    await expect(loadNetworkConfigList(dir, 'x')).rejects.toThrow(`no net configuration with name "x" in ${dir}`);
    await put('b.conf', { name: 'y', type: 'bridge' });
    await expect(loadNetworkConfigList(dir, 'x')).rejects.toThrow(`no net configuration with name "x" in ${dir}`);
  });

  it('fails on a broken conflist rather than skipping it', async () => {
    await put('a.conflist', '{"name":');
    await expect(loadNetworkConfigList(dir, 'x')).rejects.toThrow(/^error parsing configuration list: /);
  });
});
