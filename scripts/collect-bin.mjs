#!/usr/bin/env node
// Gathers every plugin's bundle (and the native module they share) into dist/bin, the directory users
// install into /opt/cni/bin and the e2e suite uses as CNI_PATH.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist/bin', { recursive: true, force: true });
mkdirSync('dist/bin', { recursive: true });
for (const plugin of readdirSync('plugins')) {
  const dist = join('plugins', plugin, 'dist');
  let files;
  try { files = readdirSync(dist); } catch { continue; }
  for (const f of files) {
    if (statSync(join(dist, f)).isFile()) copyFileSync(join(dist, f), join('dist/bin', f));
  }
}
