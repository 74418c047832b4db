// Refuses a CNI_NETNS that is the plugin's own network namespace (code 8, Go: ns.CheckNetNS), which would
// make an ADD configure the host. Go's skel checks after the callback has run; we check before (checklist 1.2).
import { statSync } from 'node:fs';
import { CniError, ErrorCode } from './errors.ts';

/** Whether `path` is the same namespace file as /proc/self/ns/net (same device and inode). */
export function isOwnNetns(path: string, ownPath = '/proc/self/ns/net'): boolean {
  try {
    const target = statSync(path, { throwIfNoEntry: false });
    // A missing or unreadable path is not skel's error: the plugin reports it, and DEL must succeed anyway.
    if (target === undefined) return false;
    const own = statSync(ownPath);
    return target.dev === own.dev && target.ino === own.ino;
  } catch {
    return false;
  }
}

/** CNI_NETNS_OVERRIDE=1/true (a test hatch in the reference) skips the check. */
export function checkNotOwnNetns(netns: string, override: string | undefined): void {
  if (netns === '') return;
  const o = (override ?? '').toLowerCase();
  if (o === '1' || o === 'true') return;
  if (isOwnNetns(netns)) {
    throw new CniError(ErrorCode.InvalidNetNs, "plugin's netns and netns from CNI_NETNS should not be the same");
  }
}
