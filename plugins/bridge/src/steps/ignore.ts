// Named ways of ignoring an error, so every ignored failure is visible in the code (house style B6).
import type { Logger } from '@cni-ts/skel';
import { isNetlinkError } from '@cni-ts/netlink';

/** Resolves undefined when the thing to delete or read is already gone (ENODEV, ESRCH, EADDRNOTAVAIL, ENOENT). */
export async function ignoreNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (['ENODEV', 'ESRCH', 'EADDRNOTAVAIL', 'ENOENT'].some((code) => isNetlinkError(err, code))) return undefined;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // a sysctl file of a vanished link
    throw err;
  }
}

/**
 * For steps the reference runs without checking the result (sysctls such as accept_ra on a kernel without
 * IPv6): the failure is logged at debug level and the step counts as done.
 */
export async function bestEffort(log: Logger, what: string, p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    log.debug(`ignored: ${what}`, { err });
  }
}
