// libcni's result cache: one file per attachment, `<cacheDir>/results/<network>-<containerID>-<ifname>`, holding the
// final ADD result plus what is needed to DEL it later (the list's bytes, netns, CNI_ARGS, capability args).
// The format is libcni's `cniCacheV1`, so cnitool, containerd and cri-o can read what we write and the reverse.
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A plugin result as JSON, in whichever version the plugin printed it. */
export type RawResult = Record<string, unknown>;

export interface CachedAttachment {
  readonly containerId: string;
  readonly networkName: string;
  readonly ifName: string;
  /** The network configuration list's bytes at ADD time. */
  readonly config: Buffer;
  readonly netns?: string;
  readonly cniArgs?: readonly (readonly [string, string])[];
  readonly capabilityArgs?: Readonly<Record<string, unknown>>;
}

export const cacheKind = 'cniCacheV1';

interface CacheFile {
  kind?: unknown; containerId?: unknown; config?: unknown; ifName?: unknown; networkName?: unknown;
  netns?: unknown; cniArgs?: unknown; capabilityArgs?: unknown; result?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toAttachment(f: CacheFile): CachedAttachment | undefined {
  if (f.kind !== cacheKind || typeof f.containerId !== 'string' || typeof f.ifName !== 'string' || typeof f.networkName !== 'string') return undefined;
  if (f.ifName === '' || f.networkName === '') return undefined;
  const cniArgs = Array.isArray(f.cniArgs)
    ? f.cniArgs.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === 'string'))
    : undefined;
  return {
    containerId: f.containerId,
    networkName: f.networkName,
    ifName: f.ifName,
    // Go marshals []byte as base64.
    config: typeof f.config === 'string' ? Buffer.from(f.config, 'base64') : Buffer.alloc(0),
    ...(typeof f.netns === 'string' && f.netns !== '' ? { netns: f.netns } : {}),
    ...(cniArgs && cniArgs.length > 0 ? { cniArgs } : {}),
    ...(isObject(f.capabilityArgs) ? { capabilityArgs: f.capabilityArgs } : {}),
  };
}

export class ResultCache {
  /** @param dir the cache directory (libcni default /var/lib/cni); entries live in its `results/` subdirectory. */
  constructor(readonly dir: string) {}

  get resultsDir(): string {
    return join(this.dir, 'results');
  }

  path(networkName: string, containerId: string, ifName: string): string {
    if (networkName === '' || containerId === '' || ifName === '') {
      throw new Error(`cache file path requires network name (${JSON.stringify(networkName)}), container ID (${JSON.stringify(containerId)}), and interface name (${JSON.stringify(ifName)})`);
    }
    return join(this.resultsDir, `${networkName}-${containerId}-${ifName}`);
  }

  /** Writes the entry atomically (temp file + rename), file mode 0600 in a 0700 directory. */
  async write(entry: CachedAttachment, result: RawResult): Promise<void> {
    const file = this.path(entry.networkName, entry.containerId, entry.ifName);
    const body = {
      kind: cacheKind,
      containerId: entry.containerId,
      config: entry.config.toString('base64'),
      ifName: entry.ifName,
      networkName: entry.networkName,
      ...(entry.netns ? { netns: entry.netns } : {}),
      ...(entry.cniArgs && entry.cniArgs.length > 0 ? { cniArgs: entry.cniArgs } : {}),
      ...(entry.capabilityArgs && Object.keys(entry.capabilityArgs).length > 0 ? { capabilityArgs: entry.capabilityArgs } : {}),
      result,
    };
    await mkdir(this.resultsDir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
      await chmod(tmp, 0o600); // the umask cannot widen it, but a stricter one must not narrow what libcni expects either
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async #read(networkName: string, containerId: string, ifName: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(networkName, containerId, ifName));
    } catch (err) {
      // A missing entry is normal (never added, or already deleted); libcni ignores every read error here.
      if ((err as NodeJS.ErrnoException).code !== undefined) return undefined;
      throw err;
    }
  }

  /**
   * The cached result as JSON, or undefined when there is no entry. Files without `kind` are libcni's legacy format,
   * the bare result. Throws when the file exists but holds no JSON object.
   */
  async readResult(networkName: string, containerId: string, ifName: string): Promise<RawResult | undefined> {
    const bytes = await this.#read(networkName, containerId, ifName);
    if (bytes === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString());
    } catch (err) {
      throw new Error(`failed to parse cached result of network ${JSON.stringify(networkName)}: ${(err as Error).message}`, { cause: err });
    }
    if (!isObject(parsed)) throw new Error(`cached result of network ${JSON.stringify(networkName)} is not a JSON object`);
    if (parsed.kind !== cacheKind) return parsed;
    return isObject(parsed.result) ? parsed.result : {};
  }

  /** The cached attachment (config, netns, CNI_ARGS, capability args), or undefined when there is none. */
  async readAttachment(networkName: string, containerId: string, ifName: string): Promise<CachedAttachment | undefined> {
    const bytes = await this.#read(networkName, containerId, ifName);
    if (bytes === undefined) return undefined;
    const parsed = JSON.parse(bytes.toString()) as unknown;
    const a = isObject(parsed) ? toAttachment(parsed) : undefined;
    if (!a) throw new Error(`read cached network ${JSON.stringify(networkName)} config has wrong kind`);
    return a;
  }

  async delete(networkName: string, containerId: string, ifName: string): Promise<void> {
    await rm(this.path(networkName, containerId, ifName), { force: true });
  }

  /**
   * Every readable `cniCacheV1` entry, sorted by file name, optionally only those of one container.
   * Throws when the results directory cannot be read (GC treats that as "nothing to do").
   */
  async list(containerId?: string): Promise<CachedAttachment[]> {
    const names = (await readdir(this.resultsDir)).sort();
    const out: CachedAttachment[] = [];
    for (const name of names) {
      if (containerId && !name.includes(`-${containerId}-`)) continue;
      let a: CachedAttachment | undefined;
      try {
        a = toAttachment(JSON.parse(await readFile(join(this.resultsDir, name), 'utf8')) as CacheFile);
      } catch {
        continue; // unreadable or foreign files (a temp file mid-write) are skipped, as libcni does
      }
      if (a && (!containerId || a.containerId === containerId)) out.push(a);
    }
    return out;
  }
}
