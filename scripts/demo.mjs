#!/usr/bin/env node
// The demo: runs each built plugin's VERSION, as a runtime probing it would.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

for (const name of readdirSync('dist/bin').filter((f) => !f.endsWith('.node')).sort()) {
  const out = execFileSync(`dist/bin/${name}`, { env: { CNI_COMMAND: 'VERSION', PATH: process.env.PATH }, input: '{"cniVersion":"1.1.0"}' });
  process.stdout.write(`${name}: ${out}`);
}
