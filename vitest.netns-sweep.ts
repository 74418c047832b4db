// Global setup for every package's tests: removes throwaway network namespaces whose creator is gone.
// Test fixtures name namespaces `<prefix>-<creator pid, base 36>-<8 hex>` (netlink's `uniqueName`). A test that
// times out is abandoned by vitest, so its `await using` never disposes; a run killed outright cannot clean up at
// all. Sweeping at start and at the end of every run removes those leftovers, and only those: a namespace whose
// creator is still alive (another package's tests running in parallel) is left alone.
import { execFileSync } from 'node:child_process';

const OWNED_NAME = /^[a-z][a-z0-9]*-([0-9a-z]{1,8})-[0-9a-f]{8}$/;

/** Whether process `pid` exists (EPERM: it does, under another user). The e2e global setup uses it too. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

export function sweepOrphanNetns(): string[] {
  let list: string;
  try {
    list = ip(['netns', 'list']);
  } catch {
    return []; // no iproute2 or no /run/netns: nothing of ours can exist
  }
  const removed: string[] = [];
  for (const name of list.split('\n').map((l) => l.split(' ')[0] ?? '')) {
    const m = OWNED_NAME.exec(name);
    if (!m || alive(Number.parseInt(m[1]!, 36))) continue;
    try {
      // a process left inside (a dnsmasq a test started) would keep the namespace alive after `netns del`
      for (const pid of ip(['netns', 'pids', name]).split(/\s+/).filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
      ip(['netns', 'del', name]);
      removed.push(name);
    } catch {
      // raced with its own cleanup, or it was never fully created: either way not ours to report
    }
  }
  return removed;
}

export default function setup(): () => void {
  sweepOrphanNetns();
  return () => {
    const removed = sweepOrphanNetns();
    // A leftover means a test lost track of a namespace: make it visible without failing the run.
    if (removed.length > 0) process.stderr.write(`netns sweep: removed ${removed.length} orphaned namespace(s): ${removed.join(' ')}\n`);
  };
}
