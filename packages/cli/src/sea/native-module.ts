// The single executable carries koffi.node as an asset. dlopen needs a file, so the asset is written once to
// the native directory under its content-hashed key (computed at build time: no hashing at run time) and
// loaded from there by every later run. Concurrent first runs are safe: each writes its own temporary file
// and renames it into place, and both renames install identical bytes.
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTrustedDir } from './native-dir.ts';

/** True when `file` is a regular file of the expected size that only its owner (root or us) can write. */
function alreadyExtracted(file: string, size: number): boolean {
  try {
    const st = lstatSync(file);
    return st.isFile() && st.size === size && (st.mode & 0o022) === 0 && (st.uid === 0 || st.uid === process.geteuid?.());
  } catch {
    return false; // absent (ENOENT) or unreadable: (re)extract, and let that fail loudly if it must
  }
}

function extract(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fchmodSync(fd, 0o644);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Extracts (if needed) and loads the native module stored under `key`, returning its exports. */
export function loadEmbeddedNative(key: string, dir: string, getRawAsset: (key: string) => ArrayBuffer): unknown {
  ensureTrustedDir(dir);
  const file = join(dir, key);
  const raw = getRawAsset(key);
  if (!alreadyExtracted(file, raw.byteLength)) extract(file, new Uint8Array(raw));
  const mod = { exports: {} as unknown };
  process.dlopen(mod, file);
  return mod.exports;
}
