// Uninstall removes only what the manifest says cni-ts installed, and only while it is still exactly that:
// a plugin someone replaced (say, with the Go reference plugin) stays, unless --force.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from './atomic-file.ts';
import { diskState, sameAs } from './disk-state.ts';
import { collectSupport } from './install.ts';
import { MANIFEST_NAME, writeManifest, type Manifest } from './manifest.ts';

export interface UninstallPlan {
  /** Plugins to remove from disk, and plugins already gone (only dropped from the manifest). */
  remove: string[];
  gone: string[];
  conflicts: string[];
}

export function planUninstall(dest: string, manifest: Manifest, names: readonly string[], force: boolean): UninstallPlan {
  const plugins = Object.keys(manifest.files).filter((n) => manifest.files[n]?.role === 'plugin').sort();
  const wanted = names.length > 0 ? [...names] : plugins;
  const plan: UninstallPlan = { remove: [], gone: [], conflicts: [] };
  for (const name of wanted) {
    const path = join(dest, name);
    const entry = manifest.files[name];
    if (!entry || entry.role !== 'plugin') {
      plan.conflicts.push(`${path} was not installed by cni-ts (installed plugins: ${plugins.join(', ') || 'none'})`);
      continue;
    }
    const state = diskState(dest, name);
    if (state.kind === 'missing') plan.gone.push(name);
    else if (sameAs(state, entry) || (force && state.kind !== 'other')) plan.remove.push(name);
    else plan.conflicts.push(`${path} changed since cni-ts installed it (use --force to remove it anyway)`);
  }
  return plan;
}

export function applyUninstall(dest: string, manifest: Manifest, plan: UninstallPlan): string[] {
  if (plan.conflicts.length > 0) throw new Error('refusing to apply an uninstall plan with conflicts');
  const files = { ...manifest.files };
  const report: string[] = [];
  for (const name of plan.remove) {
    rmSync(join(dest, name));
    delete files[name];
    report.push(`removed   ${join(dest, name)}`);
  }
  for (const name of plan.gone) {
    delete files[name];
    report.push(`forgot    ${join(dest, name)} (already gone)`);
  }
  report.push(...collectSupport(dest, files));
  if (Object.keys(files).length === 0) rmSync(join(dest, MANIFEST_NAME), { force: true });
  else writeManifest(dest, { ...manifest, files });
  fsyncDir(dest);
  return report;
}
