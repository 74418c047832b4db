// Builds the real executables for kernel tests: the bundle a runtime would run, not the sources. Each test file
// builds into its own temporary directory (no race with `pnpm build` writing dist/), once per worker.
import { build } from 'esbuild';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pluginBundleOptions, repoRoot } from '../../../../scripts/esbuild-options.mjs';

let dir: string | undefined;
const built = new Map<string, string>();

/** Bundles plugins/<name>/src/main.ts with the plugin esbuild settings; returns the directory (a CNI_PATH). */
export async function buildPlugins(names: string[]): Promise<string> {
  dir ??= mkdtempSync(join(tmpdir(), 'dq-bin-'));
  for (const name of names) {
    if (built.has(name)) continue;
    const pluginDir = join(repoRoot, 'plugins', name);
    const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')) as { version: string };
    await build({
      ...pluginBundleOptions({ version: pkg.version }),
      entryPoints: { [name]: join(pluginDir, 'src/main.ts') },
      outdir: dir,
      banner: { js: '#!/usr/bin/env node' },
    });
    renameSync(join(dir, `${name}.js`), join(dir, name));
    chmodSync(join(dir, name), 0o755);
    built.set(name, join(dir, name));
  }
  return dir;
}

export function removeBuiltPlugins(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  built.clear();
}
