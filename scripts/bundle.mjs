#!/usr/bin/env node
// Bundles one plugin (cwd = plugins/<name>) into a standalone executable: dist/<name>, plus the native module
// it loads (dist/koffi-<hash>.node, the same name in every plugin) and, when the plugin has src/config.ts,
// dist/schema.json: the JSON Schema of its config. The esbuild settings come from scripts/esbuild-options.mjs, so all
// bundles agree on format and target. packages/cli uses it too, with its executable name as the argument.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { configJsonSchema, writeJson } from './config-schema.mjs';
import { addCodeCache } from './code-cache.mjs';
import { pluginBundleOptions, repoRoot } from './esbuild-options.mjs';
import { buildId, embedding, markExecutable } from './same-build.mjs';

// The executable's name: the plugin's directory name, or the first argument (packages/cli builds `cni-ts`).
const name = process.argv[2] ?? basename(process.cwd());
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// The settings every plugin bundle shares (format, target, koffi alias, version): scripts/esbuild-options.mjs.
const common = pluginBundleOptions({ version: pkg.version, arch: process.env.CNI_TS_ARCH ?? process.arch });

// Built into a scratch directory, then each file is renamed into dist/ (an atomic replace): the e2e suite and
// `pnpm pack` may rebuild while tests run the executables, which must never find them missing or half-written.
const id = buildId(repoRoot);
// CNI_TS_BUNDLE_OUT: another output directory than dist/, for tests that need a build of their own (the shared
// dist/ may be replaced under them by turbo or by another package's tests).
const out = process.env.CNI_TS_BUNDLE_OUT ?? 'dist';
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(out, '.build-'));
try {
  await build({
    ...common,
    // src/main.ts; for bridge, first registering the IPAM plugins it embeds (run in-process: same-build.mjs)
    ...embedding(repoRoot, name, id),
    outdir: scratch,
    banner: { js: '#!/usr/bin/env node' },
  });
  renameSync(join(scratch, `${name}.js`), join(scratch, name));
  addCodeCache(join(scratch, name), { name, id }); // a plugin gets a trained V8 code cache beside it, <name>.v8cache
  markExecutable(join(scratch, name), { name, id }); // line 2: `// cni-ts-build <name> <build id> <bytes>`
  chmodSync(join(scratch, name), 0o755);
  // The executable has no extension, so Node takes its module type from the nearest package.json, and ours say
  // "module": without this marker the CJS bundle would be loaded as ESM and fail with "require is not defined".
  writeFileSync(join(scratch, 'package.json'), '{ "type": "commonjs" }\n');
  if (existsSync('src/config.ts')) writeJson(join(scratch, 'schema.json'), await configJsonSchema('.', name, common));

  const built = readdirSync(scratch);
  // Native modules first: the executable that loads one must not appear before it.
  for (const f of built.sort((a, b) => Number(b.endsWith('.node')) - Number(a.endsWith('.node')))) renameSync(join(scratch, f), join(out, f));
  // What an earlier build left and this one did not write (an old koffi-<hash>.node, a schema.json): stale.
  for (const f of readdirSync(out)) {
    if (!built.includes(f) && !f.startsWith('.') && f !== 'lib' && statSync(join(out, f)).isFile()) rmSync(join(out, f));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
