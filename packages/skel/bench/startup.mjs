#!/usr/bin/env node
// Start-up cost of skel: bundles the fixture plugin with the plugin settings (scripts/esbuild-options.mjs), then runs it
// and a bare `node` script alternately (clean env: NODE_EXTRA_CA_CERTS alone adds ~40 ms) and prints medians.
// Usage: node bench/startup.mjs [rounds=60]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

const rounds = Number(process.argv[2] ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'skel-startup-'));
try {
  const plugin = join(dir, 'fixture.cjs');
  await build({
    ...pluginBundleOptions({ version: '0.0.0' }),
    entryPoints: [fileURLToPath(new URL('../test/fixture-plugin/main.ts', import.meta.url))],
    outfile: plugin,
  });
  const bare = join(dir, 'bare.cjs');
  writeFileSync(bare, 'process.exitCode = 0;\n');
  const conf = JSON.stringify({ cniVersion: '1.1.0', name: 'bench', type: 'skel-fixture' });
  const env = { PATH: process.env.PATH, CNI_CONTAINERID: 'bench', CNI_NETNS: '/var/run/netns/none', CNI_IFNAME: 'eth0', CNI_PATH: '/nowhere' };
  const cases = {
    'bare node': [bare, { ...env }, ''],
    'VERSION': [plugin, { ...env, CNI_COMMAND: 'VERSION' }, ''],
    'ADD (zod config parse, result print)': [plugin, { ...env, CNI_COMMAND: 'ADD' }, conf],
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    for (const [name, [file, e, input]] of Object.entries(cases)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [file], { env: e, input });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${name} failed: ${r.stdout}${r.stderr}`);
      samples[name].push(ms);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(samples['bare node']);
  for (const [name, xs] of Object.entries(samples)) {
    const m = median(xs);
    process.stdout.write(`${name.padEnd(40)} median ${m.toFixed(1)} ms  (+${(m - base).toFixed(1)} ms over bare node)\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
