#!/usr/bin/env node
// The house lint, run by `turbo run lint` in each package (cwd = the package).
// 1. No console.* in src/: stdout is the CNI protocol, so code logs through skel's stderr logger.
// 2. No spawning of `ip`, `nsenter` or a shell: network state changes go through packages/netlink.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const rules = [
  { re: /\bconsole\.(log|info|warn|error|debug|trace|dir|table)\b/, why: 'console.* is banned in src/ (stdout is the protocol; use the skel logger)' },
  // Test fixtures may use iproute2 (brief: "fixtures may use ip netns add/del and ip netns exec"): the rule covers
  // product code only, so it skips *.test.ts files and src/testing/ helpers.
  { re: /\b(spawn|spawnSync|execFile|execFileSync|exec|execSync)\(\s*['"`](ip|\/s?bin\/ip|nsenter|sh|bash|\/bin\/sh|\/bin\/bash)['"`]/, why: 'spawning ip, nsenter or a shell is banned: use packages/netlink', productOnly: true },
];

function* walk(dir) {
  let names;
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'node_modules') yield* walk(p); }
    else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name)) yield p;
  }
}

const isTestCode = (file) => /\.test\.ts$/.test(file) || /(^|\/)src\/testing\//.test(file);

let problems = 0;
for (const file of walk('src')) {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (/^\s*(\/\/|\*)/.test(line)) return; // comments may mention the banned names
    for (const { re, why, productOnly } of rules) {
      if (productOnly && isTestCode(file)) continue;
      if (re.test(line)) { problems++; process.stderr.write(`${relative('.', file)}:${i + 1}: ${why}\n  ${line.trim()}\n`); }
    }
  });
}
if (problems > 0) { process.stderr.write(`lint: ${problems} problem(s)\n`); process.exit(1); }
