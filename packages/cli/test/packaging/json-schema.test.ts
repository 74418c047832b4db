// Acceptance item 5 (the shipped half): `pnpm build` writes a JSON Schema per plugin, generated from the zod schema
// the plugin parses its stdin with, into the plugin's package (dist/schema.json, exported as
// @cni-ts/<plugin>/schema.json) and into dist/schema/, plus one schema for a whole conflist.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './process.ts';

interface JsonSchema {
  $schema?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
  [key: string]: unknown;
}

const PLUGINS = ['bridge', 'dnsmasq-ipam', 'host-local', 'static'];
// Keys each plugin's config must describe (a sample: the schema is generated, these prove it is the real one).
const KEYS: Record<string, { top: string[]; ipam: string[] }> = {
  bridge: { top: ['bridge', 'isGateway', 'isDefaultGateway', 'ipMasq', 'mtu', 'hairpinMode', 'vlan', 'vlanTrunk'], ipam: ['type'] },
  'host-local': { top: ['ipam'], ipam: ['ranges', 'routes', 'dataDir', 'subnet', 'rangeStart', 'resolvConf'] },
  static: { top: ['ipam'], ipam: ['addresses', 'routes', 'dns'] },
  'dnsmasq-ipam': { top: ['ipam'], ipam: ['subnet', 'gateway', 'rangeStart', 'rangeEnd'] },
};

const read = (path: string): JsonSchema => JSON.parse(readFileSync(path, 'utf8')) as JsonSchema;

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/schema/conflist.json'))) throw new Error('dist/schema is missing: run `pnpm build` first');
});

/** Every `$ref` in `schema`, each of which must resolve inside the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}
function resolvePointer(doc: unknown, ref: string): unknown {
  return ref.replace(/^#\//, '').split('/').reduce<unknown>((n, key) => (n as Record<string, unknown> | undefined)?.[key], doc);
}

describe.each(PLUGINS)('the %s config schema', (plugin) => {
  it('is a 2020-12 JSON Schema of an object describing the plugin keys, shipped in the package and in dist/schema', () => {
    const inPackage = read(join(repoRoot, 'plugins', plugin, 'dist/schema.json'));
    expect(read(join(repoRoot, 'dist/schema', `${plugin}.json`))).toEqual(inPackage);
    expect(inPackage).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    expect(inPackage.required).toContain('name');
    expect(Object.keys(inPackage.properties ?? {})).toEqual(expect.arrayContaining(['cniVersion', 'name', ...KEYS[plugin]!.top]));
    expect(Object.keys(inPackage.properties?.['ipam']?.properties ?? {})).toEqual(expect.arrayContaining(KEYS[plugin]!.ipam));
  });

  it('is exported by the package as ./schema.json', () => {
    const require = createRequire(join(repoRoot, 'packages/cli/package.json'));
    expect(require.resolve(`@cni-ts/${plugin}/schema.json`)).toBe(join(repoRoot, 'plugins', plugin, 'dist/schema.json'));
  });
});

describe('the conflist schema', () => {
  const conflist = () => read(join(repoRoot, 'dist/schema/conflist.json'));

  it('embeds every plugin schema, with name and cniVersion left to the list (libcni injects them)', () => {
    const schema = conflist();
    expect(Object.keys(schema.$defs ?? {}).sort()).toEqual(PLUGINS);
    for (const p of PLUGINS) {
      expect(schema.$defs?.[p]?.required ?? []).not.toContain('name');
      expect(schema.$defs?.[p]?.properties).toEqual(read(join(repoRoot, 'dist/schema', `${p}.json`)).properties);
    }
    expect(schema.required).toEqual(['name', 'plugins']);
    expect(schema.properties?.['cniVersion']).toEqual({ type: 'string', enum: ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
  });

  it('picks the schema by `type`, and the IPAM block by `ipam.type`; every $ref resolves', () => {
    const schema = conflist();
    const rules = (schema.properties?.['plugins'] as JsonSchema & { items: { allOf: Array<{ if: unknown; then: unknown }> } }).items.allOf;
    expect(rules).toContainEqual({ if: { properties: { type: { const: 'bridge' } }, required: ['type'] }, then: { $ref: '#/$defs/bridge' } });
    expect(rules).toContainEqual({
      if: { properties: { ipam: { properties: { type: { const: 'host-local' } }, required: ['type'] } }, required: ['ipam'] },
      then: { properties: { ipam: { $ref: '#/$defs/host-local/properties/ipam' } } },
    });
    for (const ref of refs(schema)) expect(resolvePointer(schema, ref), ref).toBeTypeOf('object');
  });
});
