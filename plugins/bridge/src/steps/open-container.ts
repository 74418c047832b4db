// Step 3 of ADD: a handle on the container's network namespace, with the reference's error wording.
import { type Handle, isNetnsNotFoundError, openHandle } from '@cni-ts/netlink';
import { failure } from '../errors.ts';

export async function openContainer(netns: string): Promise<Handle> {
  try {
    return await openHandle({ netns });
  } catch (err) {
    const q = JSON.stringify(netns);
    // Go's ns.GetNS says it this way; runtimes and operators match on it.
    if (isNetnsNotFoundError(err)) throw new Error(`failed to open netns ${q}: failed to Statfs ${q}: no such file or directory`, { cause: err });
    throw failure(`failed to open netns ${q}`, err);
  }
}
