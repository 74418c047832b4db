// Writes into a directory a runtime may be executing from at this very moment: every new file or link is
// first created under a temporary name in the same directory, made durable, and then renamed over the target,
// so a reader sees either the old file or the complete new one, never a half-written executable.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, symlinkSync, writeSync, fchmodSync } from 'node:fs';
import { join } from 'node:path';

/** A name in `dir` that no other writer uses; hidden so directory scans (CNI_PATH lookups, `ls`) skip it. */
function tempName(dir: string, name: string): string {
  return join(dir, `.${name}.cni-ts-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Flushes the directory entry itself, so the rename survives a crash (rename is atomic, not durable). */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** Replaces `dir/name` with `content` (mode set explicitly: the umask must not decide what is executable). */
export function writeFileAtomic(dir: string, name: string, content: Uint8Array, mode: number): void {
  const tmp = tempName(dir, name);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      let off = 0;
      while (off < content.length) off += writeSync(fd, content, off, content.length - off);
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(dir, name));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/** Replaces `dir/name` with a symbolic link to `target` (a name in the same directory, kept relative). */
export function symlinkAtomic(dir: string, name: string, target: string): void {
  const tmp = tempName(dir, name);
  symlinkSync(target, tmp);
  try {
    renameSync(tmp, join(dir, name));
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}
