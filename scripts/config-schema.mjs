// JSON Schemas for plugin configs, generated from the zod schemas the plugins parse their stdin with
// (plugins/<name>/src/config.ts), so editors and CI check conflists against the same rules. Used by
// scripts/bundle.mjs (one schema per plugin) and scripts/collect-bin.mjs (the conflist schema).
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const JSON_SCHEMA = 'https://json-schema.org/draft/2020-12/schema';

/** Exported values of a module that are zod schemas (zod and zod/mini schemas both carry `_zod`). */
function zodSchemas(mod) {
  return Object.entries(mod).filter(([, v]) => typeof v === 'object' && v !== null && '_zod' in v);
}

/** Bundles `contents` (TypeScript, resolved from `dir`) with the given esbuild settings and loads it. */
export async function loadBundled(contents, dir, esbuildOptions) {
  const work = mkdtempSync(join(resolve(dir), '.cni-ts-load-'));
  try {
    const outfile = join(work, 'module.cjs');
    await build({
      ...esbuildOptions,
      stdin: { contents, resolveDir: resolve(dir), loader: 'ts', sourcefile: 'load-entry.ts' },
      outfile,
      format: 'cjs',
      minify: false,
      banner: {},
    });
    return createRequire(outfile)(outfile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Loads `<pluginDir>/src/config.ts` (bundled with the plugin's own esbuild settings, so it resolves exactly as
 * the plugin does) and returns the JSON Schema of the one zod schema it exports, for the config as written
 * (`io: 'input'`: defaults are optional, codecs show their string side). Checks written as code (refinements,
 * transforms) cannot be expressed and are left out: `cni-ts validate` runs them.
 */
export async function configJsonSchema(pluginDir, name, esbuildOptions) {
  const mod = await loadBundled("export * as config from './src/config.ts'; export { toJSONSchema } from 'zod/mini';", pluginDir, esbuildOptions);
  const schemas = zodSchemas(mod.config);
  if (schemas.length !== 1) {
    throw new Error(`${pluginDir}/src/config.ts must export exactly one zod schema (the plugin's config); found: ${schemas.map(([k]) => k).join(', ') || 'none'}`);
  }
  const [exportName, schema] = schemas[0];
  const json = mod.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    $schema: JSON_SCHEMA,
    title: `cni-ts ${name} plugin configuration`,
    description: `The configuration the ${name} plugin reads on stdin. Generated from ${exportName} in plugins/${name}/src/config.ts; checks written as code are not expressible here (run \`cni-ts validate\`).`,
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}

export function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const NETWORK_NAME = '^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$';
const boolOrString = { anyOf: [{ type: 'boolean' }, { enum: ['true', 'false'] }] };

/**
 * One schema for a whole conflist: the list's own keys, and each plugins[] entry checked against the schema of
 * the plugin its `type` names, and its `ipam` block against the schema of the IPAM plugin `ipam.type` names.
 * Entries get `name` and `cniVersion` from the list (libcni injects them), so those are not required there.
 */
export function conflistJsonSchema(pluginSchemas, cniVersions) {
  const defs = {};
  const rules = [];
  for (const [name, schema] of Object.entries(pluginSchemas)) {
    if (JSON.stringify(schema).includes('"$ref"')) throw new Error(`the ${name} schema uses $ref; inline it before embedding`);
    const { $schema: _, title, description, ...body } = schema;
    defs[name] = { ...body, ...(body.required ? { required: body.required.filter((k) => k !== 'name' && k !== 'cniVersion') } : {}) };
    rules.push({ if: { properties: { type: { const: name } }, required: ['type'] }, then: { $ref: `#/$defs/${name}` } });
    // An IPAM plugin's schema describes its ipam block; a main plugin's (bridge) only says ipam has a type.
    if (Object.keys(body.properties?.ipam?.properties ?? {}).some((k) => k !== 'type')) {
      rules.push({
        if: { properties: { ipam: { properties: { type: { const: name } }, required: ['type'] } }, required: ['ipam'] },
        then: { properties: { ipam: { $ref: `#/$defs/${name}/properties/ipam` } } },
      });
    }
  }
  return {
    $schema: JSON_SCHEMA,
    title: 'CNI network configuration list (cni-ts plugins)',
    description: 'A .conflist whose plugins[] entries are checked against the cni-ts plugin config schemas; other plugin types are only checked for a "type".',
    type: 'object',
    required: ['name', 'plugins'],
    properties: {
      $schema: { type: 'string' },
      cniVersion: { type: 'string', enum: cniVersions },
      cniVersions: { type: 'array', items: { type: 'string' } },
      name: { type: 'string', pattern: NETWORK_NAME },
      disableCheck: boolOrString,
      disableGC: boolOrString,
      loadOnlyInlinedPlugins: boolOrString,
      plugins: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['type'], properties: { type: { type: 'string', pattern: '^[^/\\\\]+$' } }, allOf: rules },
      },
    },
    $defs: defs,
  };
}
