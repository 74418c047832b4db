import { describe, expect, it } from 'vitest';
import { parseNetworkConfigList, parseSinglePluginConfig } from './conflist.ts';

const parse = (o: unknown) => parseNetworkConfigList(Buffer.from(JSON.stringify(o)));
const plugins = [{ type: 'bridge' }];

describe('parseNetworkConfigList', () => {
  it.each([
    [{ cniVersion: '0.4.0' }, '0.4.0'],
    [{ cniVersion: '0.3.1', cniVersions: ['1.0.0', '0.4.0'] }, '1.0.0'],
    [{ cniVersion: '1.0.0', cniVersions: ['0.4.0', '1.1.0', '2.0.0', '1.5.0'] }, '1.1.0'], // newer than ours: ignored
    [{ cniVersion: '2.0.0', cniVersions: ['0.4.0'] }, '0.4.0'],
    [{ cniVersions: ['0.3.0', '0.3.1'] }, '0.3.1'],
    [{ cniVersions: ['3.0.0'] }, ''],
    [{}, ''],
  ])('picks the highest version of cniVersion ∪ cniVersions we implement: %o', (v, expected) => {
    expect(parse({ name: 'n', plugins, ...v }).cniVersion).toBe(expected);
  });

  it('reads libcni flags as bools or "true"/"false" strings', () => {
    const l = parse({ name: 'n', plugins, disableCheck: 'TRUE', disableGC: true, loadOnlyInlinedPlugins: 'false' });
    expect([l.disableCheck, l.disableGC, l.loadOnlyInlinedPlugins]).toEqual([true, true, false]);
    expect(() => parse({ name: 'n', plugins, disableCheck: 'yes' })).toThrow('error parsing configuration list: invalid value "yes" for disableCheck');
    expect(() => parse({ name: 'n', plugins, disableGC: 1 })).toThrow('error parsing configuration list: invalid type float64 for disableGC');
  });

  it('keeps each plugin object and its declared capabilities', () => {
    const l = parse({ name: 'n', cniVersion: '1.0.0', plugins: [{ type: 'portmap', capabilities: { portMappings: true, x: false }, snat: true }] });
    expect(l.plugins[0]).toEqual({ raw: { type: 'portmap', capabilities: { portMappings: true, x: false }, snat: true }, type: 'portmap', capabilities: { portMappings: true, x: false } });
    expect(l.bytes.toString()).toContain('"snat":true');
  });

  it.each([
    ['{', /^error parsing configuration list: /],
    [JSON.stringify({ plugins }), 'error parsing configuration list: no name'],
    [JSON.stringify({ name: 5, plugins }), 'error parsing configuration list: invalid name type float64'],
    [JSON.stringify({ name: 'n', plugins: [] }), 'error parsing configuration list: no plugins in list'],
    [JSON.stringify({ name: 'n', plugins: {} }), "error parsing configuration list: invalid 'plugins' type map[string]interface {}"],
    [JSON.stringify({ name: 'n', plugins: [{ ipam: {} }] }), "failed to parse plugin config 0: error parsing configuration: missing 'type'"],
    [JSON.stringify({ name: 'n', loadOnlyInlinedPlugins: true }), "error parsing configuration list: `loadOnlyInlinedPlugins` is true, and no 'plugins' key"],
    [JSON.stringify({ name: 'n', cniVersions: ['1.x'], plugins }), /invalid cniVersions entry at index 0: 1.x/],
  ])('rejects %s', (text, msg) => {
    expect(() => parseNetworkConfigList(Buffer.from(text))).toThrow(msg);
  });

  it('accepts a list without plugins (they may come from files)', () => {
    expect(parse({ name: 'n' }).plugins).toEqual([]);
  });
});

describe('parseSinglePluginConfig', () => {
  it('up-converts a single plugin config to a one-plugin list', () => {
    const { name, list } = parseSinglePluginConfig(Buffer.from(JSON.stringify({ cniVersion: '0.3.1', name: 'old', type: 'bridge', bridge: 'br0' })));
    expect(name).toBe('old');
    expect(list.cniVersion).toBe('0.3.1');
    expect(list.plugins.map((p) => p.raw)).toEqual([{ cniVersion: '0.3.1', name: 'old', type: 'bridge', bridge: 'br0' }]);
  });
});
