// For tests of IPAM plugins as real processes (differential tests against the reference binaries, concurrency).
// Builds a plugin's executable with the plugin esbuild settings (scripts/esbuild-options.mjs, as scripts/bundle.mjs
// does) into a temporary directory outside the repository: no package.json "type" applies there, and tests never
// touch the checked-out dist/.
import { chmodSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuiltPlugin {
  /** The executable. */
  readonly path: string;
  readonly dir: string;
  remove(): void;
}

export async function buildPlugin(name: string): Promise<BuiltPlugin> {
  const dir = mkdtempSync(join(tmpdir(), `cni-ts-${name}-bin-`));
  // Loaded here, not at the top: only tests that build a plugin load esbuild, and the settings live in the
  // repository's scripts/ (this helper builds the repository's own plugins).
  const { build } = await import('esbuild');
  const { pluginBundleOptions, repoRoot } = await import('../../../../scripts/esbuild-options.mjs');
  await build({
    ...pluginBundleOptions({ version: '0.0.0-test' }),
    entryPoints: { [name]: join(repoRoot, 'plugins', name, 'src/main.ts') },
    outdir: dir,
    banner: { js: '#!/usr/bin/env node' },
  });
  const path = join(dir, name);
  renameSync(`${path}.js`, path);
  chmodSync(path, 0o755);
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
