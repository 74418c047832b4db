// For tests of IPAM plugins as real processes (differential tests against the reference binaries, concurrency).
// Builds a plugin's executable the way scripts/bundle.mjs does (CJS, node20, koffi aliased to its static shim),
// into a temporary directory outside the repository: no package.json "type" applies there, and tests never touch
// the checked-out dist/.
import { chmodSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../../..'); // packages/ipam-core/src/testing → repository root

export interface BuiltPlugin {
  /** The executable. */
  readonly path: string;
  readonly dir: string;
  remove(): void;
}

export async function buildPlugin(name: string): Promise<BuiltPlugin> {
  const dir = mkdtempSync(join(tmpdir(), `cni-ts-${name}-bin-`));
  const koffiShim = join(root, 'packages/netlink/src/transport', `koffi-native-${process.arch}.cjs`);
  const { build } = await import('esbuild'); // only tests that build a plugin load esbuild
  await build({
    entryPoints: { [name]: join(root, 'plugins', name, 'src/main.ts') },
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    loader: { '.node': 'copy' },
    alias: existsSync(koffiShim) ? { koffi: koffiShim } : {},
    define: { __CNI_TS_VERSION__: JSON.stringify('0.0.0-test') },
    banner: { js: '#!/usr/bin/env node' },
  });
  const path = join(dir, name);
  renameSync(`${path}.js`, path);
  chmodSync(path, 0o755);
  return { path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
