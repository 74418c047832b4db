// The esbuild settings of a plugin executable, in one place. scripts/bundle.mjs builds every plugin with them, and
// everything else that must bundle code the way a plugin is bundled (the single executable, test helpers that build
// real executables, benchmarks) starts from them too, so a change of target, format or koffi alias happens here once.
// Build and test infrastructure, not product code: test helpers import it by relative path (types: the .d.mts beside).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/esbuild-options.mjs). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `{ koffi: <shim> }`, or `{}` when netlink has no shim for `arch`. koffi 3's own loader picks its binary through a
 * dynamic require that esbuild cannot follow, so bundles alias koffi to a shim that requires the prebuilt binary by
 * a static path (netlink-transport.md, section 4).
 */
export function koffiAlias(arch = process.arch) {
  const shim = join(repoRoot, 'packages/netlink/src/transport', `koffi-native-${arch}.cjs`);
  return existsSync(shim) ? { koffi: shim } : {};
}

/**
 * The options every plugin bundle shares: one CJS file for node20, minified, koffi aliased to its shim (its
 * koffi-<hash>.node copied beside the bundle) and `__CNI_TS_VERSION__` defined. Callers add the entry, the output
 * and a shebang banner when the bundle is an executable, and may override any field.
 */
export function pluginBundleOptions({ version = '0.0.0-dev', arch = process.arch } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    loader: { '.node': 'copy' },
    alias: koffiAlias(arch),
    define: { __CNI_TS_VERSION__: JSON.stringify(version) },
  };
}
