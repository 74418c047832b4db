// Network configuration lists as libcni reads them (libcni/conf.go): the list object, its plugins, the version the
// runtime picks from cniVersion ∪ cniVersions, and the deprecated single-plugin `.conf` files up-converted to a list.
import { compareVersions, versions } from '@cni-ts/skel';

export interface PluginConfig {
  /** The plugin object as written: keys the runtime does not know pass through to the plugin unchanged. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly type: string;
  /** The plugin object's own `name`, if any (only used to describe the plugin in errors). */
  readonly name?: string;
  /** Declared capabilities; only those set to true receive runtimeConfig. */
  readonly capabilities: Readonly<Record<string, boolean>>;
}

export interface NetworkConfigList {
  readonly name: string;
  /** The version every plugin is called with: the highest of cniVersion ∪ cniVersions that we implement. */
  readonly cniVersion: string;
  readonly disableCheck: boolean;
  readonly disableGC: boolean;
  readonly loadOnlyInlinedPlugins: boolean;
  readonly plugins: readonly PluginConfig[];
  /** The list's bytes, stored in the result cache as `config`. */
  readonly bytes: Buffer;
}

const listError = (msg: string) => new Error(`error parsing configuration list: ${msg}`);

function goType(v: unknown): string {
  if (v === null) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  return { string: 'string', number: 'float64', boolean: 'bool', object: 'map[string]interface {}' }[typeof v as string] ?? typeof v;
}

function parseJsonObject(bytes: Buffer | string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString());
  } catch (err) {
    throw new Error(`error parsing ${what}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`error parsing ${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

/** One plugin object (a `plugins[]` element or a single `.conf` file). */
export function parsePluginConfig(raw: Record<string, unknown>): PluginConfig {
  const { type, name, capabilities } = raw;
  if (type !== undefined && typeof type !== 'string') throw new Error(`error parsing configuration: invalid 'type' type ${goType(type)}`);
  if (type === undefined || type === '') throw new Error("error parsing configuration: missing 'type'");
  if (name !== undefined && typeof name !== 'string') throw new Error(`error parsing configuration: invalid 'name' type ${goType(name)}`);
  const caps: Record<string, boolean> = {};
  if (capabilities !== undefined && capabilities !== null) {
    if (typeof capabilities !== 'object' || Array.isArray(capabilities)) {
      throw new Error(`error parsing configuration: invalid 'capabilities' type ${goType(capabilities)}`);
    }
    for (const [k, v] of Object.entries(capabilities)) {
      if (typeof v !== 'boolean') throw new Error(`error parsing configuration: capability ${JSON.stringify(k)} is not a bool`);
      caps[k] = v;
    }
  }
  return { raw, type, ...(name ? { name } : {}), capabilities: caps };
}

/** libcni accepts a bool or the strings "true"/"false" (any case) for its flags. */
function readBool(list: Record<string, unknown>, key: string): boolean {
  const v = list[key];
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') throw listError(`invalid type ${goType(v)} for ${key}`);
  const s = v.toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw listError(`invalid value ${JSON.stringify(s)} for ${key}`);
}

function compare(a: string, b: string, what: string): number {
  try {
    return compareVersions(a, b);
  } catch (err) {
    throw listError(`invalid ${what} ${a}: ${(err as Error).message}`);
  }
}

/** cniVersion ∪ cniVersions, ignoring entries newer than the spec we implement; the highest wins. */
function pickVersion(list: Record<string, unknown>): string {
  const { cniVersion = '', cniVersions } = list;
  if (typeof cniVersion !== 'string') throw listError(`invalid cniVersion type ${goType(cniVersion)}`);
  if (cniVersions === undefined) return cniVersion;
  if (!Array.isArray(cniVersions)) throw listError(`invalid type for cniVersions: ${goType(cniVersions)}`);
  const candidates: string[] = [];
  cniVersions.forEach((v: unknown, i) => {
    if (typeof v !== 'string') throw listError(`invalid type for cniVersions index ${i}: ${goType(v)}`);
    if (compare(v, versions.current, `cniVersions entry at index ${i}:`) <= 0) candidates.push(v);
  });
  if (cniVersion !== '' && compare(cniVersion, versions.current, 'cniVersion') <= 0) candidates.push(cniVersion);
  candidates.sort((a, b) => compareVersions(a, b));
  return candidates.at(-1) ?? cniVersion;
}

/** Parses a conflist's bytes. A list without `plugins` is returned empty (its plugins may live in files). */
export function parseNetworkConfigList(bytes: Buffer): NetworkConfigList {
  const list = parseJsonObject(bytes, 'configuration list');
  if (!('name' in list)) throw listError('no name');
  if (typeof list.name !== 'string') throw listError(`invalid name type ${goType(list.name)}`);
  const cniVersion = pickVersion(list);
  const disableCheck = readBool(list, 'disableCheck');
  const disableGC = readBool(list, 'disableGC');
  const loadOnlyInlinedPlugins = readBool(list, 'loadOnlyInlinedPlugins');
  const base = { name: list.name, cniVersion, disableCheck, disableGC, loadOnlyInlinedPlugins, bytes };
  if (!('plugins' in list)) {
    if (loadOnlyInlinedPlugins) throw listError("`loadOnlyInlinedPlugins` is true, and no 'plugins' key");
    return { ...base, plugins: [] };
  }
  if (!Array.isArray(list.plugins)) throw listError(`invalid 'plugins' type ${goType(list.plugins)}`);
  if (list.plugins.length === 0) throw listError('no plugins in list');
  const plugins = list.plugins.map((p: unknown, i) => {
    try {
      if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new Error('error parsing configuration: not a JSON object');
      return parsePluginConfig(p as Record<string, unknown>);
    } catch (err) {
      throw new Error(`failed to parse plugin config ${i}: ${(err as Error).message}`, { cause: err });
    }
  });
  return { ...base, plugins };
}

/** A single-plugin config (the deprecated `.conf` format) as a one-element list. */
export function parseSinglePluginConfig(bytes: Buffer): { name: string; list: NetworkConfigList } {
  const raw = parseJsonObject(bytes, 'configuration');
  const plugin = parsePluginConfig(raw);
  const cniVersion = typeof raw.cniVersion === 'string' ? raw.cniVersion : '';
  const name = plugin.name ?? '';
  const listBytes = Buffer.from(JSON.stringify({ cniVersion, name, plugins: [raw] }));
  return { name, list: parseNetworkConfigList(listBytes) };
}
