// What is at a name in the destination right now, reduced to what ownership checks compare: a file's content
// hash or a link's target.
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestEntry } from './manifest.ts';
import { sha256, type InstallItem } from './source.ts';

export type DiskState =
  | { kind: 'missing' }
  | { kind: 'file'; sha256: string }
  | { kind: 'symlink'; target: string }
  | { kind: 'other' }; // a directory, socket, ...: never ours, never touched

export function diskState(dir: string, name: string): DiskState {
  const path = join(dir, name);
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(path) };
  if (st.isFile()) return { kind: 'file', sha256: sha256(readFileSync(path)) };
  return { kind: 'other' };
}

/** The manifest form of an item: what to record, and later compare the disk against. */
export function entryFor(item: InstallItem): ManifestEntry {
  return item.kind === 'file'
    ? { role: item.role, sha256: item.sha256, needs: item.needs }
    : { role: item.role, symlink: item.target, needs: item.needs };
}

/** True when the disk holds exactly what `entry` records (same hash, or same link target). */
export function sameAs(state: DiskState, entry: Pick<ManifestEntry, 'sha256' | 'symlink'>): boolean {
  if (state.kind === 'file') return entry.sha256 !== undefined && state.sha256 === entry.sha256;
  if (state.kind === 'symlink') return entry.symlink !== undefined && state.target === entry.symlink;
  return false;
}
