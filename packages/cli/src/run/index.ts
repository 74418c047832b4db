// The conflist runner as a library: what `cni-ts run` and the e2e suite use to act as a CNI runtime.

// loading network configuration lists
export { parseNetworkConfigList, parsePluginConfig, parseSinglePluginConfig } from './conflist.ts';
export type { NetworkConfigList, PluginConfig } from './conflist.ts';
export { loadNetworkConfigList, loadNetworkConfigListFile } from './load.ts';

// running them
export { CniRunner, defaultCacheDir } from './runner.ts';
export type { GcArgs, RunnerOptions, RuntimeConf } from './runner.ts';
export { findInPath, spawnPlugin } from './invoke.ts';
export type { ExecOutput, ExecRequest, PluginExec } from './invoke.ts';
export { cniErrorOf, errorText } from './inject.ts';
export type { VersionInfo } from './version-info.ts';

// the result cache (libcni's cniCacheV1 format)
export { ResultCache, cacheKind } from './cache.ts';
export type { CachedAttachment, RawResult } from './cache.ts';

// identifiers
export { cnitoolContainerId } from './container-id.ts';
export { validateContainerId, validateIfName, validateNetworkName } from './names.ts';

// the CLI subcommand
export { run, parseCniArgsEnv } from './command.ts';
