// One install or uninstall at a time per destination: both read the manifest, plan against it and write it back, so
// two running together (a node's init container restarted while the first still runs, two operators) would each
// record only their own files.
// The lock is a file created with O_EXCL that names its holder (pid and kernel start time). flock(2) would need libc
// through koffi, which the cni-ts bundle does not ship beside itself, so a holder that died without cleaning up is
// detected instead: its pid is gone, or now belongs to a process that started at another time. The file is hidden
// and not executable, so runtimes scanning the directory for plugins never mistake it for one.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_NAME = '.cni-ts-install.lock';
const WAIT_MS = 30_000;
const POLL_MS = 50;
const HALF_WRITTEN_GRACE_MS = 5_000;

/** "<pid> <start time in clock ticks since boot>", or undefined when no such process exists. */
function identityOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Field 2 (comm) may contain spaces and parentheses: count fields from the last ')'.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return `${pid} ${startTime}`;
  } catch {
    return undefined;
  }
}

function holderIsGone(path: string, holder: string): boolean {
  const pid = Number(holder.split(' ')[0]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !holder.endsWith('\n')) {
    // Not written yet (a holder between its create and its write) or never finished (one that died there).
    const written = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return Date.now() - written > HALF_WRITTEN_GRACE_MS;
  }
  return identityOf(pid) !== holder.trim();
}

function tryCreate(path: string, me: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${me}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readHolder(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function acquire(path: string, dest: string, waitMs: number): Promise<void> {
  const me = identityOf(process.pid) ?? `${process.pid} ?`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (tryCreate(path, me)) return;
    const holder = readHolder(path);
    if (holder === undefined) continue; // released between our create and our read
    if (holderIsGone(path, holder)) {
      // Remove it only if it is still the dead holder's file: another waiter may have replaced it already.
      if (readHolder(path) === holder) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(`another cni-ts install or uninstall (pid ${holder.split(' ')[0]}) is working in ${dest}; gave up after ${waitMs / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function withDestinationLock<T>(dest: string, work: () => T, waitMs = WAIT_MS): Promise<T> {
  const path = join(dest, LOCK_NAME);
  try {
    await acquire(path, dest, waitMs);
  } catch (err) {
    // No directory (uninstall from a destination never installed to): nothing there for anyone to change.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return work();
    throw err;
  }
  try {
    return work();
  } finally {
    rmSync(path, { force: true });
  }
}
