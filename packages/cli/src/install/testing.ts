// Fixtures for the installer tests: build output directories shaped like dist/bin and dist/sea.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir extends Disposable { path: string }

export function tempDir(prefix = 'cni-ts-install-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** A dist/bin look-alike: node scripts that load one shared native module by its content-hashed name. */
export function fakeBundleDir(dir: string, opts: { plugins: string[]; native: string; body?: string }): string {
  mkdirSync(dir, { recursive: true });
  for (const p of opts.plugins) {
    const script = `#!/usr/bin/env node\n"use strict";var k=require("./${opts.native}");/* ${p} ${opts.body ?? 'v1'} */\n`;
    writeFileSync(join(dir, p), script, { mode: 0o755 });
  }
  writeFileSync(join(dir, opts.native), `native ${opts.native}`);
  return dir;
}

/** A dist/sea look-alike: one binary and a symbolic link per plugin. */
export function fakeSeaDir(dir: string, opts: { plugins: string[]; body?: string }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cni-ts'), `\x7fELF fake multi-call ${opts.body ?? 'v1'}`, { mode: 0o755 });
  for (const p of opts.plugins) symlinkSync('cni-ts', join(dir, p));
  return dir;
}
