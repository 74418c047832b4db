// STATUS (1.1.0): code 50 (plugin not available) when an ADD could not succeed now: the state directory cannot be
// written, or a configured range set has no free address (ADD needs one from every set, so one exhausted set is
// enough; with every set exhausted the answer is the same). Range sets that arrive only at ADD time
// (runtimeConfig.ipRanges) cannot be judged here. Read-only: no lock.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StatusContext } from '@cni-ts/skel';
import { CniError, ErrorCode } from '@cni-ts/skel';
import { exhaustedRangeSets, formatRangeSet } from '@cni-ts/ipam-core';
import { loadHostLocalConfig, type SkelConf } from './config.ts';
import { DiskStore, errnoOf } from './disk-store.ts';

export async function cmdStatus(ctx: StatusContext<SkelConf>): Promise<void> {
  const conf = loadHostLocalConfig(ctx, { requireRanges: false });
  const problem = writeProblem(conf.dir);
  if (problem) throw new CniError(ErrorCode.PluginNotAvailable, `host-local: the state directory ${conf.dir} is not writable: ${problem}`);
  const exhausted = await exhaustedRangeSets(new DiskStore(conf), conf.sets);
  if (exhausted.length > 0) {
    const which = exhausted.map((s) => `${s.path} (${formatRangeSet(s)})`).join(', ');
    throw new CniError(ErrorCode.PluginNotAvailable, `host-local: no IP addresses available in range set ${which}`);
  }
}

/** Why `dir` (or, if it does not exist yet, the nearest existing parent ADD would create it in) cannot be written. */
function writeProblem(dir: string): string | undefined {
  let path = dir;
  for (;;) {
    try {
      if (!statSync(path).isDirectory()) return `${path} is not a directory`;
      accessSync(path, constants.W_OK);
      return undefined;
    } catch (err) {
      const code = errnoOf(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `${path}: ${code ?? String(err)}`;
      if (dirname(path) === path) return `${path} does not exist`;
      path = dirname(path);
    }
  }
}
