#!/usr/bin/env node
// The netlink micro-benchmark (not a test). Run as root from packages/netlink: `node bench/bench.mjs`.
// 1. cost per request, in process (bench/requests.ts, bundled as a plugin would be: scripts/esbuild-options.mjs);
// 2. load time: wall time of fresh node processes running bundles of load-empty / load-import / load-netlink,
//    interleaved round-robin in a clean environment (no NODE_EXTRA_CA_CERTS, which alone adds ~40 ms).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

const runs = Number(process.env.RUNS ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'nl-bench-'));
const cleanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const bundle = (name) =>
  build({
    ...pluginBundleOptions(),
    entryPoints: { [name]: resolve(`bench/${name}.ts`) },
    outdir: dir,
  });

try {
  for (const name of ['requests', 'decode', 'load-empty', 'load-import', 'load-netlink']) await bundle(name);
  process.stdout.write(`node ${process.version}, ${process.arch}\n\n## cost per request\n`);
  spawnSync(process.execPath, [join(dir, 'requests.js')], { stdio: 'inherit', env: cleanEnv });
  spawnSync(process.execPath, [join(dir, 'decode.js')], { stdio: 'inherit', env: cleanEnv });

  const names = ['load-empty', 'load-import', 'load-netlink'];
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (const n of names) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(dir, `${n}.js`)], { env: cleanEnv, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${n} failed`);
      samples[n].push(performance.now() - t0);
    }
  }
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)];
  process.stdout.write(`\n## load time (${runs} runs each, interleaved, wall ms)\n`);
  for (const n of names) {
    const extra = n === 'load-empty' ? '' : `   (+${(q(samples[n], 0.5) - q(samples['load-empty'], 0.5)).toFixed(1)} ms median over node alone)`;
    process.stdout.write(`${n.padEnd(14)} p10 ${q(samples[n], 0.1).toFixed(1).padStart(6)}   median ${q(samples[n], 0.5).toFixed(1).padStart(6)}${extra}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
