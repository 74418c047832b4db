#!/usr/bin/env node
// Runs a TypeScript script of this package the way a plugin runs: bundled by esbuild with the plugin settings
// (scripts/esbuild-options.mjs: CJS, node20, koffi aliased to the static-path shim), from a temporary directory.
// Usage: node scripts/run-ts.mjs <file.ts> [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: run-ts.mjs <file.ts> [args...]');
const dir = mkdtempSync(join(tmpdir(), 'nl-run-'));
try {
  await build({
    ...pluginBundleOptions(),
    entryPoints: { main: resolve(entry) },
    outdir: dir,
  });
  const r = spawnSync(process.execPath, [join(dir, 'main.js'), ...args], { stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
