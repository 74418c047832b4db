#!/usr/bin/env node
// The last step of `pnpm build` (after turbo built every package), from the repository root. Writes:
//   dist/bin/<plugin>, dist/bin/koffi-<hash>.node   what gets installed into /opt/cni/bin (the e2e CNI_PATH)
//   dist/cni-ts                                     the operator tool; `dist/cni-ts install` installs dist/bin
//   dist/schema/<plugin>.json, conflist.json        JSON Schemas for editors and CI
// The tool stays out of dist/bin: nothing a runtime should find on CNI_PATH.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflistJsonSchema, loadBundled, writeJson } from './config-schema.mjs';

const CLI = 'packages/cli/dist/cni-ts';

rmSync('dist/bin', { recursive: true, force: true });
rmSync('dist/schema', { recursive: true, force: true });
mkdirSync('dist/bin', { recursive: true });
mkdirSync('dist/schema', { recursive: true });
// dist/bin/* and dist/cni-ts are extensionless CJS bundles: see the same marker in bundle.mjs.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

const natives = new Set();
const schemas = {};
for (const plugin of readdirSync('plugins').sort()) {
  const dist = join('plugins', plugin, 'dist');
  if (!existsSync(join(dist, plugin))) continue;
  copyFileSync(join(dist, plugin), join('dist/bin', plugin));
  chmodSync(join('dist/bin', plugin), 0o755);
  // Its V8 code cache (scripts/code-cache.mjs), when the build made one: optional, the plugin runs without it.
  if (existsSync(join(dist, `${plugin}.v8cache`))) copyFileSync(join(dist, `${plugin}.v8cache`), join('dist/bin', `${plugin}.v8cache`));
  for (const f of readdirSync(dist).filter((n) => n.endsWith('.node'))) {
    natives.add(f);
    copyFileSync(join(dist, f), join('dist/bin', f));
  }
  if (existsSync(join(dist, 'schema.json'))) {
    copyFileSync(join(dist, 'schema.json'), join('dist/schema', `${plugin}.json`));
    schemas[plugin] = JSON.parse(readFileSync(join(dist, 'schema.json'), 'utf8'));
  }
}
// Every plugin loads the same koffi binary; its content-hashed name is the same in all bundles. Two names mean
// two different binaries, which would silently double what gets installed.
if (natives.size > 1) throw new Error(`plugins load different native modules: ${[...natives].join(', ')}`);

if (existsSync(CLI)) {
  rmSync('dist/cni-ts', { force: true });
  copyFileSync(CLI, 'dist/cni-ts');
  chmodSync('dist/cni-ts', 0o755);
}

const { versions } = await loadBundled("export { versions } from '@cni-ts/skel';", 'packages/cli', { bundle: true, platform: 'node', logLevel: 'warning' });
writeJson('dist/schema/conflist.json', conflistJsonSchema(schemas, [...versions.all]));
