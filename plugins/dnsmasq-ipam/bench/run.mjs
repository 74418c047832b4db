#!/usr/bin/env node
// Runs bench/bench.ts (design §3 reproduced). Needs root; everything happens in throwaway namespaces.
//   node bench/run.mjs            state (leases, records) on /tmp, as it is
//   node bench/run.mjs --tmpfs    state on a private tmpfs (as /run in production), in a private mount namespace
// BENCH_SAMPLES=N sets the number of in-process samples (default 100).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pluginBundleOptions, repoRoot } from '../../../scripts/esbuild-options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// Inside the package, so the bundle resolves esbuild (used to build the plugin it measures) from the workspace.
const work = mkdtempSync(join(here, '.bundle-'));
try {
  const outfile = join(work, 'bench.cjs');
  const common = pluginBundleOptions();
  await build({
    ...common,
    entryPoints: [join(here, 'bench.ts')], outfile, external: ['esbuild'],
    // A CJS bundle has no import.meta: the one module in it that reads it finds the repository root from it.
    define: { ...common.define, 'import.meta.url': JSON.stringify(pathToFileURL(join(repoRoot, 'scripts/esbuild-options.mjs')).href) },
  });
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS; // adds ~40 ms to every node start on this machine
  if (process.argv.includes('--tmpfs')) {
    // A private mount namespace: the tmpfs exists only for this run and its children (plugins, dnsmasq).
    const state = join(work, 'state');
    execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mkdir -p "$1" && mount -t tmpfs tmpfs "$1" && exec node "$2" "$1"', 'sh', state, outfile], { stdio: 'inherit', env });
  } else {
    execFileSync(process.execPath, [outfile, tmpdir()], { stdio: 'inherit', env });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
