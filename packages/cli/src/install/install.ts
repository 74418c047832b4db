// Installing is planned in full before anything is written: every conflict is found and reported first, so a
// refused install changes nothing. Applying then writes support files before the plugins that load them, records
// the result in the manifest, and finally removes support files that no installed plugin needs any more.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { symlinkAtomic, writeFileAtomic, fsyncDir } from './atomic-file.ts';
import { diskState, entryFor, sameAs } from './disk-state.ts';
import { writeManifest, type Manifest } from './manifest.ts';
import type { InstallItem } from './source.ts';

export type InstallStatus = 'installed' | 'updated' | 'unchanged' | 'adopted' | 'replaced';

export interface InstallStep {
  item: InstallItem;
  status: InstallStatus;
  /** Why a forced replace was needed. */
  note?: string;
}

export interface InstallPlan {
  steps: InstallStep[];
  /** One line per name that cannot be written; non-empty means nothing will be. */
  conflicts: string[];
}

function stepFor(dest: string, manifest: Manifest, item: InstallItem, force: boolean): InstallStep | string {
  const path = join(dest, item.name);
  const state = diskState(dest, item.name);
  const recorded = manifest.files[item.name];
  if (state.kind === 'other') return `${path} exists and is not a regular file or symbolic link; remove it yourself`;
  if (state.kind === 'missing') return { item, status: 'installed' };
  // Identical content: overwriting it loses nothing, so it is taken over even without --force.
  if (sameAs(state, entryFor(item))) return { item, status: recorded && sameAs(state, recorded) ? 'unchanged' : 'adopted' };
  if (recorded && sameAs(state, recorded)) return { item, status: 'updated' };
  const why = recorded ? 'it was modified after cni-ts installed it' : 'cni-ts did not install it';
  if (force) return { item, status: 'replaced', note: why };
  return `${path} exists and ${why} (use --force to overwrite it)`;
}

export function planInstall(dest: string, manifest: Manifest, items: InstallItem[], force: boolean): InstallPlan {
  const steps: InstallStep[] = [];
  const conflicts: string[] = [];
  for (const item of items) {
    const step = stepFor(dest, manifest, item, force);
    if (typeof step === 'string') conflicts.push(step);
    else steps.push(step);
  }
  return { steps, conflicts };
}

/** Support files recorded in `files` that no recorded plugin needs, directly or through another support file. */
export function unneededSupport(files: Manifest['files']): string[] {
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    files[name]?.needs.forEach(visit);
  };
  for (const [name, entry] of Object.entries(files)) if (entry.role === 'plugin') visit(name);
  return Object.keys(files).filter((name) => files[name]?.role === 'support' && !needed.has(name)).sort();
}

/**
 * Removes the support files nobody needs from disk and from `files` (mutated). A file that changed since it
 * was installed is left on disk and forgotten: it is no longer what cni-ts wrote.
 */
export function collectSupport(dest: string, files: Manifest['files']): string[] {
  const report: string[] = [];
  for (const name of unneededSupport(files)) {
    const entry = files[name]!;
    const state = diskState(dest, name);
    if (sameAs(state, entry)) {
      rmSync(join(dest, name));
      report.push(`removed   ${join(dest, name)} (no installed plugin needs it)`);
    } else if (state.kind !== 'missing') {
      report.push(`kept      ${join(dest, name)} (changed since cni-ts installed it; no longer tracked)`);
    }
    delete files[name];
  }
  return report;
}

/** Applies a conflict-free plan; returns the report lines. */
export function applyInstall(dest: string, manifest: Manifest, plan: InstallPlan): string[] {
  if (plan.conflicts.length > 0) throw new Error('refusing to apply an install plan with conflicts');
  const report: string[] = [];
  const files = { ...manifest.files };
  for (const { item, status, note } of plan.steps) {
    if (status !== 'unchanged') {
      if (item.kind === 'file') writeFileAtomic(dest, item.name, item.content, item.mode);
      else symlinkAtomic(dest, item.name, item.target);
    }
    files[item.name] = entryFor(item);
    report.push(`${status.padEnd(9)} ${join(dest, item.name)}${note ? ` (${note})` : ''}`);
  }
  const removed = collectSupport(dest, files);
  writeManifest(dest, { ...manifest, files });
  if (removed.length > 0) fsyncDir(dest);
  return [...report, ...removed];
}
