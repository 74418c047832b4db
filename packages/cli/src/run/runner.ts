// The conflist runner: libcni's CNIConfig (AddNetworkList, CheckNetworkList, DelNetworkList, GCNetworkList,
// GetStatusNetworkList, ValidateNetworkList, GetVersionInfo) in TypeScript. It is the "runtime" side of CNI:
// it runs plugin executables in list order, threads prevResult through the chain and keeps the result cache.
import { convertResult, parseResult, versionAtLeast, type CniVersion } from '@cni-ts/skel';
import { ResultCache, type CachedAttachment, type RawResult } from './cache.ts';
import type { NetworkConfigList, PluginConfig } from './conflist.ts';
import { describePlugin, errorText, pluginStdin } from './inject.ts';
import { findInPath, pluginEnv, runPlugin, spawnPlugin, type InvokeArgs, type PluginExec } from './invoke.ts';
import { validateContainerId, validateIfName, validateNetworkName } from './names.ts';
import { decodeVersionInfo, versionInfoFromError, versionProbeEnv, versionProbeStdin, type VersionInfo } from './version-info.ts';

/** One attachment's runtime arguments (libcni RuntimeConf). */
export interface RuntimeConf {
  readonly containerId: string;
  readonly netns: string;
  readonly ifName: string;
  /** CNI_ARGS pairs, in order. */
  readonly args?: readonly (readonly [string, string])[];
  /** Capability args (CAP_ARGS); each plugin gets those it declares in `capabilities`, as `runtimeConfig`. */
  readonly capabilityArgs?: Readonly<Record<string, unknown>>;
}

/** GC's arguments; the JSON key names are the spec's. */
export interface GcArgs {
  readonly validAttachments: readonly { readonly containerID: string; readonly ifname: string }[];
}

export interface RunnerOptions {
  /** CNI_PATH: the directories searched for plugin executables. */
  readonly path: readonly string[];
  /** The cache directory (libcni default /var/lib/cni); results go to `<cacheDir>/results`. */
  readonly cacheDir?: string;
  /** How a plugin process is started; defaults to a plain spawn. */
  readonly exec?: PluginExec;
  /** The environment plugins inherit before the CNI_* variables are set; defaults to this process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Receives plugins' stderr (libcni copies it to its own stderr); dropped when absent. */
  readonly stderr?: (chunk: Buffer) => void;
  readonly timeoutMs?: number;
  readonly busyRetryMs?: number;
}

export const defaultCacheDir = '/var/lib/cni';

const noRuntime: RuntimeConf = { containerId: '', netns: '', ifName: '' };

export class CniRunner {
  readonly cache: ResultCache;
  readonly #o: RunnerOptions;

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.cache = new ResultCache(options.cacheDir ?? defaultCacheDir);
  }

  /** Runs one plugin with one verb; returns its stdout. */
  async #invoke(type: string, command: InvokeArgs['command'], stdin: Buffer, rt: RuntimeConf, cniPath = this.#o.path.join(':')): Promise<Buffer> {
    const path = await findInPath(type, this.#o.path);
    const env = pluginEnv(this.#o.env ?? process.env, {
      command, containerId: rt.containerId, netns: rt.netns, ifName: rt.ifName, pluginArgs: rt.args ?? [], path: cniPath,
    });
    return runPlugin(path, stdin, env, {
      exec: this.#o.exec ?? spawnPlugin,
      ...(this.#o.stderr ? { stderr: this.#o.stderr } : {}),
      ...(this.#o.timeoutMs !== undefined ? { timeoutMs: this.#o.timeoutMs } : {}),
      ...(this.#o.busyRetryMs !== undefined ? { busyRetryMs: this.#o.busyRetryMs } : {}),
    });
  }

  /**
   * ADD through the chain: each plugin gets the previous plugin's result as prevResult; the first error stops the
   * chain (no rollback: the runtime's DEL cleans up). The final result is cached and returned as the last plugin
   * printed it (with cniVersion filled in when the plugin left it out).
   */
  async add(list: NetworkConfigList, rt: RuntimeConf): Promise<RawResult> {
    validateNames(list, rt);
    let result: RawResult | undefined;
    for (const plugin of list.plugins) {
      const stdin = pluginStdin(plugin, { name: list.name, cniVersion: list.cniVersion, prevResult: result, capabilityArgs: rt.capabilityArgs });
      try {
        result = decodeResult(await this.#invoke(plugin.type, 'ADD', stdin, rt), list.cniVersion);
      } catch (err) {
        throw chainError(plugin, 'add', err);
      }
    }
    const final = result ?? {};
    try {
      await this.cache.write(attachmentOf(list, rt), final);
    } catch (err) {
      throw new Error(`failed to set network ${JSON.stringify(list.name)} cached result: ${errorText(err)}`, { cause: err });
    }
    return final;
  }

  /** CHECK (spec ≥ 0.4.0): every plugin, in order, with the cached result as prevResult. */
  async check(list: NetworkConfigList, rt: RuntimeConf): Promise<void> {
    if (!versionAtLeast(list.cniVersion, '0.4.0')) {
      throw new Error(`configuration version ${JSON.stringify(list.cniVersion)} does not support the CHECK command`);
    }
    if (list.disableCheck) return;
    validateNames(list, rt);
    let prevResult: RawResult | undefined;
    try {
      prevResult = await this.cachedResult(list, rt);
    } catch (err) {
      throw new Error(`failed to get network ${JSON.stringify(list.name)} cached result: ${errorText(err)}`, { cause: err });
    }
    for (const plugin of list.plugins) {
      const stdin = pluginStdin(plugin, { name: list.name, cniVersion: list.cniVersion, prevResult, capabilityArgs: rt.capabilityArgs });
      try {
        await this.#invoke(plugin.type, 'CHECK', stdin, rt);
      } catch (err) {
        throw chainError(plugin, 'check', err);
      }
    }
  }

  /**
   * DEL in reverse order. From 0.4.0 each plugin gets the cached result as prevResult; an unreadable cache entry is
   * dropped and DEL goes on without one. The entry is removed once every plugin succeeded.
   * (libcni keeps the entry of a < 0.4.0 list forever; we remove it, so GC does not DEL it again.)
   */
  async del(list: NetworkConfigList, rt: RuntimeConf): Promise<void> {
    validateNames(list, rt);
    let prevResult: RawResult | undefined;
    if (versionAtLeast(list.cniVersion, '0.4.0')) {
      prevResult = await this.cachedResult(list, rt).catch(async () => {
        await this.cache.delete(list.name, rt.containerId, rt.ifName);
        return undefined;
      });
    }
    for (const plugin of list.plugins.toReversed()) {
      const stdin = pluginStdin(plugin, { name: list.name, cniVersion: list.cniVersion, prevResult, capabilityArgs: rt.capabilityArgs });
      try {
        await this.#invoke(plugin.type, 'DEL', stdin, rt);
      } catch (err) {
        throw chainError(plugin, 'delete', err);
      }
    }
    await this.cache.delete(list.name, rt.containerId, rt.ifName);
  }

  /**
   * GC (libcni GCNetworkList). Step 1: every cached attachment of this network that is not valid gets a DEL built
   * from the current list and the cached netns, CNI_ARGS and capability args. Step 2 (spec ≥ 1.1.0): GC goes to every
   * plugin, with cni.dev/valid-attachments when `args` are given (no key at all when not: "nothing is valid").
   * Errors do not stop it; they are all thrown together at the end.
   */
  async gc(list: NetworkConfigList, args?: GcArgs): Promise<void> {
    if (list.disableGC) return;
    let cached: CachedAttachment[];
    try {
      cached = await this.cache.list();
    } catch {
      return; // libcni: an unreadable cache directory means there is nothing to collect
    }
    const valid = new Set((args?.validAttachments ?? []).map((a) => `${a.containerID}\0${a.ifname}`));
    const errors: Error[] = [];
    for (const a of cached) {
      if (a.networkName !== list.name || valid.has(`${a.containerId}\0${a.ifName}`)) continue;
      const rt: RuntimeConf = {
        containerId: a.containerId, netns: a.netns ?? '', ifName: a.ifName,
        ...(a.cniArgs ? { args: a.cniArgs } : {}), ...(a.capabilityArgs ? { capabilityArgs: a.capabilityArgs } : {}),
      };
      await this.del(list, rt).catch((err: unknown) => {
        errors.push(new Error(`failed to delete stale attachment ${a.containerId} ${a.ifName}: ${errorText(err)}`, { cause: err }));
      });
    }
    if (versionAtLeast(list.cniVersion, '1.1.0')) {
      // The misspelled key is libcni's back-compat for plugins written against the spec's first wording (cni#1101).
      const extra = args ? { 'cni.dev/valid-attachments': args.validAttachments, 'cni.dev/attachments': args.validAttachments } : {};
      for (const plugin of list.plugins) {
        const stdin = pluginStdin(plugin, { name: list.name, cniVersion: list.cniVersion, extra });
        await this.#invoke(plugin.type, 'GC', stdin, noRuntime).catch((err: unknown) => {
          errors.push(new Error(`failed to GC plugin ${plugin.type}: ${errorText(err)}`, { cause: err }));
        });
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  }

  /** STATUS (spec ≥ 1.1.0; older lists are simply "ready"): every plugin in order, stopping at the first error. */
  async status(list: NetworkConfigList): Promise<void> {
    if (!versionAtLeast(list.cniVersion, '1.1.0')) return;
    for (const plugin of list.plugins) {
      const stdin = pluginStdin(plugin, { name: list.name, cniVersion: list.cniVersion });
      await this.#invoke(plugin.type, 'STATUS', stdin, noRuntime); // the plugin's own error, unwrapped, keeps its code
    }
  }

  /** VERSION probe of one plugin type. */
  async versionInfo(type: string): Promise<VersionInfo> {
    try {
      return decodeVersionInfo(await this.#invoke(type, 'VERSION', versionProbeStdin(), {
        containerId: '', netns: versionProbeEnv.netns, ifName: versionProbeEnv.ifName,
      }, versionProbeEnv.path));
    } catch (err) {
      const old = versionInfoFromError(err);
      if (old) return old;
      throw err;
    }
  }

  /**
   * libcni ValidateNetworkList: every plugin exists and supports the list's version (probed with VERSION).
   * Returns the capabilities the list declares.
   */
  async validate(list: NetworkConfigList): Promise<string[]> {
    const expected = list.cniVersion === '' ? '0.1.0' : list.cniVersion;
    const errors: Error[] = [];
    const caps = new Set<string>();
    for (const plugin of list.plugins) {
      try {
        const info = await this.versionInfo(plugin.type);
        if (!info.supportedVersions.includes(expected)) {
          errors.push(new Error(`plugin ${plugin.type} does not support config version ${JSON.stringify(expected)}`));
        }
      } catch (err) {
        errors.push(err instanceof Error ? err : new Error(String(err)));
      }
      for (const [cap, on] of Object.entries(plugin.capabilities)) if (on) caps.add(cap);
    }
    if (errors.length > 0) throw new AggregateError(errors, `[${errors.map(errorText).join(' ')}]`);
    return [...caps];
  }

  /** The cached ADD result converted to the list's version (the config may have changed since), or undefined. */
  async cachedResult(list: NetworkConfigList, rt: RuntimeConf): Promise<RawResult | undefined> {
    const raw = await this.cache.readResult(list.name, rt.containerId, rt.ifName);
    if (raw === undefined) return undefined;
    if (raw.cniVersion === list.cniVersion) return raw;
    try {
      return convertResult(parseResult(raw), list.cniVersion as CniVersion) as RawResult;
    } catch (err) {
      throw new Error(`failed to convert cached result to config version ${JSON.stringify(list.cniVersion)}: ${errorText(err)}`, { cause: err });
    }
  }
}

function validateNames(list: NetworkConfigList, rt: RuntimeConf): void {
  validateContainerId(rt.containerId);
  validateNetworkName(list.name);
  validateIfName(rt.ifName);
}

function attachmentOf(list: NetworkConfigList, rt: RuntimeConf): CachedAttachment {
  return {
    containerId: rt.containerId, networkName: list.name, ifName: rt.ifName, config: list.bytes, netns: rt.netns,
    ...(rt.args ? { cniArgs: rt.args } : {}), ...(rt.capabilityArgs ? { capabilityArgs: rt.capabilityArgs } : {}),
  };
}

function chainError(plugin: PluginConfig, verb: 'add' | 'check' | 'delete', err: unknown): Error {
  return new Error(`plugin ${describePlugin(plugin)} failed (${verb}): ${errorText(err)}`, { cause: err });
}

/**
 * A plugin's ADD output as a result object. A missing or empty cniVersion means the config's version (cni#895) and
 * `null` means an empty result; anything that is not a result of a known version is an error, as in libcni.
 */
function decodeResult(stdout: Buffer, confVersion: string): RawResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.toString());
  } catch (err) {
    throw new Error(`failed to unmarshal raw result: ${(err as Error).message} result ${stdout.toString()}`, { cause: err });
  }
  if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
    throw new Error(`failed to unmarshal raw result: not a JSON object: ${stdout.toString()}`);
  }
  const raw: RawResult = { ...(parsed as RawResult | null) };
  if (typeof raw.cniVersion !== 'string' || raw.cniVersion === '') raw.cniVersion = confVersion;
  parseResult(raw); // validates the shape for its version; throws a CniError naming the problem
  return raw;
}
