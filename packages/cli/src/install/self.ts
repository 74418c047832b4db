// Where the running cni-ts came from decides what `install` installs by default: the single executable
// installs itself (plus one link per plugin); the node bundle installs the plugin bundles built beside it.
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSea } from 'node:sea';

// Set by scripts/build-sea.mjs: the plugins this single executable carries.
declare const __CNI_TS_SEA_PLUGINS__: readonly string[] | undefined;

export const SEA_BINARY_NAME = 'cni-ts';

export function embeddedPlugins(): readonly string[] | undefined {
  return isSea() && typeof __CNI_TS_SEA_PLUGINS__ !== 'undefined' ? __CNI_TS_SEA_PLUGINS__ : undefined;
}

/** dist/bin beside dist/cni-ts: the layout `pnpm build` writes. */
export function defaultBuildDir(): string {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot tell where cni-ts runs from: pass --from <dir>');
  return join(dirname(realpathSync(script)), 'bin');
}
