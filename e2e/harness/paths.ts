// Where the executables under test live. Ours are the esbuild bundles `pnpm build` produces (plugins/<name>/dist,
// the same files scripts/collect-bin.mjs copies into dist/bin); CNI_TS_E2E_BIN points the suite at another
// directory instead (dist/bin, or an installed /opt/cni/bin). The sources are never run.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const ourPluginNames = ['bridge', 'host-local', 'static', 'dnsmasq-ipam'] as const;
export type OurPlugin = (typeof ourPluginNames)[number];

/** The reference Go plugins (Debian containernetworking-plugins 1.1.1; they speak up to cniVersion 1.0.0). */
export const referenceBinDir = '/usr/lib/cni';

/** The built executable of one of our plugins (it may not exist yet: the cell that needs it then fails). */
export function ourPlugin(name: OurPlugin): string {
  const override = process.env.CNI_TS_E2E_BIN;
  return override ? join(override, name) : join(repoRoot, 'plugins', name, 'dist', name);
}

export function referencePlugin(name: string): string {
  return join(referenceBinDir, name);
}

/** The built operator tool (`cni-ts run ...`). */
export const cliExecutable = join(repoRoot, 'packages', 'cli', 'dist', 'cni-ts');

export function assertBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is not built: run \`pnpm build\` at the repository root`);
}
