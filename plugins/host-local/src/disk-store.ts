// host-local's Store: the reference's on-disk format, so that our plugin and the Go one can share a data directory.
//
//   <dataDir>/<network>/            mode 0755
//     <ip>                          one file per reserved address, canonical text name, content "<id>\r\n<ifname>"
//                                   (older writers: "<id>" only), mode 0600
//     last_reserved_ip.<N>          the round-robin cursor of range set N (text of the address, no newline)
//     lock                          flock(2) target serialising every writer, ours and the reference's
//
// Better than the reference: a reservation appears atomically (written to a temporary file, fsynced, then linked to
// its name, which fails if the name exists), so no empty or half-written reservation is ever visible; and the lock
// is taken with a deadline (code 11 when it passes) instead of blocking forever.
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatIp, type Ip, type Owner, parseIp, type Reservation, type ReservationOwner, type Store } from '@cni-ts/ipam-core';
import { acquireFileLock } from './file-lock.ts';

export const LOCK_FILE = 'lock';
export const LAST_RESERVED_PREFIX = 'last_reserved_ip.';
/** Our temporary files; the name never parses as an address, so readers (ours and the reference's) skip it. */
const TEMP_PREFIX = '.cni-ts-tmp-';

export interface DiskStoreOptions {
  /** `<dataDir>/<network name>` */
  readonly dir: string;
  /** How long exclusive() waits for the lock before failing with code 11. */
  readonly lockTimeoutMs: number;
}

export class DiskStore implements Store {
  readonly dir: string;
  readonly #lockTimeoutMs: number;
  /** Debris removed when a lock was taken (GC reports it). */
  readonly #sweptOnEntry: string[] = [];

  constructor(opts: DiskStoreOptions) {
    this.dir = opts.dir;
    this.#lockTimeoutMs = opts.lockTimeoutMs;
  }

  /** Creates the network directory (and dataDir) if needed, as ADD does. */
  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
  }

  /**
   * Runs `fn` holding the pool lock. Temporary files found on entry are debris of a writer killed between writing
   * and linking (temporary files only exist while their writer holds the lock), so every ADD, DEL and GC sweeps
   * them: a SIGKILLed ADD followed by DEL leaves no file behind (found by the SIGKILL trials of issue 10).
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const lock = await acquireFileLock(join(this.dir, LOCK_FILE), this.#lockTimeoutMs);
    try {
      this.#sweptOnEntry.push(...this.#sweepBestEffort());
      return await fn();
    } finally {
      lock.release();
    }
  }

  async list(): Promise<Reservation[]> {
    const out: Reservation[] = [];
    for (const name of readdirOrEmpty(this.dir)) {
      const ip = parseIp(name);
      if (!ip || formatIp(ip) !== name) continue; // lock, cursors, temporary files, anything foreign
      const content = readOrUndefined(join(this.dir, name));
      if (content === undefined) continue; // released while we listed
      out.push({ ip, owner: parseOwner(content) });
    }
    return out;
  }

  async reserve(ip: Ip, owner: Owner, rangeSetIndex: number): Promise<boolean> {
    const name = formatIp(ip);
    const content = `${owner.containerId.trim()}\r\n${owner.ifName}`;
    const temp = this.#writeTemp(name, content, { fsync: true });
    try {
      linkSync(temp, join(this.dir, name)); // create-if-absent, complete from the first instant
    } catch (err) {
      if (errnoOf(err) === 'EEXIST') return false;
      throw err;
    } finally {
      unlinkSync(temp);
    }
    this.#writeCursor(rangeSetIndex, name);
    return true;
  }

  async release(ip: Ip): Promise<void> {
    try {
      unlinkSync(join(this.dir, formatIp(ip)));
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err; // already released: nothing to do
    }
  }

  async lastReserved(rangeSetIndex: number): Promise<Ip | undefined> {
    const text = readOrUndefined(join(this.dir, `${LAST_RESERVED_PREFIX}${rangeSetIndex}`));
    return text === undefined ? undefined : parseIp(text.trim()); // garbage: no cursor, start at the beginning
  }

  /** Debris swept so far by this store, on entry to exclusive() and by sweepTemporaryFiles(). */
  get swept(): readonly string[] {
    return this.#sweptOnEntry;
  }

  /** The sweep of exclusive(): a debris file that cannot be removed must not fail the ADD or DEL that found it. */
  #sweepBestEffort(): string[] {
    try {
      return this.sweepTemporaryFiles();
    } catch {
      return []; // GC's explicit sweep reports the failure
    }
  }

  /**
   * Removes temporary files left by a writer that died between writing and linking. Call it while holding the lock:
   * temporary files only exist while their writer holds it, so any found then is debris.
   */
  sweepTemporaryFiles(): string[] {
    const removed: string[] = [];
    for (const name of readdirOrEmpty(this.dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue;
      try {
        unlinkSync(join(this.dir, name));
        removed.push(name);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
    }
    return removed;
  }

  /** The cursor is replaced by rename, so a reader sees the old or the new address, never a partial one. */
  #writeCursor(rangeSetIndex: number, text: string): void {
    const temp = this.#writeTemp(`cursor-${rangeSetIndex}`, text, { fsync: false });
    try {
      renameSync(temp, join(this.dir, `${LAST_RESERVED_PREFIX}${rangeSetIndex}`));
    } catch (err) {
      unlinkSync(temp);
      throw err;
    }
  }

  #writeTemp(label: string, content: string, opts: { fsync: boolean }): string {
    const path = join(this.dir, `${TEMP_PREFIX}${label.replaceAll(':', '_')}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, content);
      // Without fsync, a crash after the link could leave a named but empty file (the failure of plugins#498).
      if (opts.fsync) fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      unlinkSync(path);
      throw err;
    }
    closeSync(fd);
    return path;
  }
}

/** `<id>\r\n<ifname>`, the legacy `<id>`, or nothing (an empty file). Surrounding white space is ignored, as in Go. */
export function parseOwner(content: string): ReservationOwner | undefined {
  const text = content.trim();
  if (text === '') return undefined;
  const cut = text.indexOf('\r\n');
  if (cut < 0) return { containerId: text };
  return { containerId: text.slice(0, cut), ifName: text.slice(cut + 2) };
}

function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return [];
    throw new Error(`cannot read the state directory ${dir}: ${String(err)}`, { cause: err });
  }
}

/** The file's text; undefined if it is gone; '' if it cannot be read (taken, owner unknown). */
function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    return errnoOf(err) === 'ENOENT' ? undefined : '';
  }
}

export function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
