// Builds the real executables for kernel tests: the bundle a runtime would run, not the sources. Each test file
// builds into its own temporary directory (no race with `pnpm build` writing dist/), once per worker.
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
let dir: string | undefined;
const built = new Map<string, string>();

/** Bundles plugins/<name>/src/main.ts with scripts/bundle.mjs's settings; returns the directory (a CNI_PATH). */
export async function buildPlugins(names: string[]): Promise<string> {
  dir ??= mkdtempSync(join(tmpdir(), 'dq-bin-'));
  const koffiShim = join(root, 'packages/netlink/src/transport', `koffi-native-${process.arch}.cjs`);
  for (const name of names) {
    if (built.has(name)) continue;
    const pluginDir = join(root, 'plugins', name);
    const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')) as { version: string };
    await build({
      entryPoints: { [name]: join(pluginDir, 'src/main.ts') },
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
      define: { __CNI_TS_VERSION__: JSON.stringify(pkg.version) },
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
