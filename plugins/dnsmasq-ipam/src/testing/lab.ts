// Kernel-test fixtures: a throwaway "host" namespace holding a bridge (and the dnsmasq the plugin starts), plus
// container namespaces wired to it by veth pairs. Fixtures may use iproute2; product code never does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ip, ipJson, tempNetns, uniqueName } from '@cni-ts/netlink/testing';
import type { TempNetns } from '@cni-ts/netlink/testing';

export interface Container {
  ns: TempNetns;
  id: string;
  ifName: string;
  mac: string;
  hostVeth: string;
}

export interface Lab extends AsyncDisposable {
  host: TempNetns;
  bridge: string;
  /** mkdtemp directory: the plugin's runDir and scratch files. */
  dir: string;
  addContainer(opts?: { id?: string; ifName?: string; hostVeth?: string }): Promise<Container>;
  /** A bare container namespace (no veth): for tests where the bridge plugin wires it. */
  addNamespace(): Promise<TempNetns>;
  /** Runs a command inside the host namespace. */
  hostExec(argv: string[], opts?: { input?: string }): string;
  /** Kills every dnsmasq whose command line mentions the lab dir; returns how many were running. */
  killDnsmasqs(): number;
  close(): Promise<void>;
}

/** A host netns with bridge `br` (optionally with an address), ready for containers. Disposing removes everything. */
export async function createLab(opts: { bridgeAddress?: string; bridge?: boolean } = {}): Promise<Lab> {
  const host = await tempNetns('dqh');
  const containers: Container[] = [];
  const namespaces: TempNetns[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'dq-lab-'));
  const bridge = 'dqbr0';
  const cleanup = async (): Promise<void> => {
    killDnsmasqs();
    for (const c of containers) c.ns.remove();
    for (const ns of namespaces) ns.remove();
    host.remove();
    rmSync(dir, { recursive: true, force: true });
  };
  const killDnsmasqs = (): number => {
    const pids = dnsmasqPidsUnder(dir);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return pids.length;
  };
  try {
    if (opts.bridge !== false) {
      // A set MAC: otherwise the bridge takes its lowest port's MAC, which changes as veths join, and a container's
      // cached ARP entry for the gateway goes stale (the bridge plugin pins it for the same reason).
      ip(['-n', host.name, 'link', 'add', bridge, 'address', '02:00:00:00:db:01', 'type', 'bridge']);
      ip(['-n', host.name, 'link', 'set', bridge, 'up']);
    }
    if (opts.bridgeAddress) ip(['-n', host.name, 'addr', 'add', opts.bridgeAddress, 'dev', bridge]);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    host,
    bridge,
    dir,
    async addContainer(o = {}) {
      const ns = await tempNetns('dqc');
      const ifName = o.ifName ?? 'eth0';
      const hostVeth = o.hostVeth ?? `dqv${containers.length}x${ns.name.slice(-4)}`;
      const container: Container = { ns, id: o.id ?? uniqueName('ctr'), ifName, mac: '', hostVeth };
      containers.push(container);
      ip(['-n', host.name, 'link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', ifName, 'netns', ns.name]);
      ip(['-n', host.name, 'link', 'set', hostVeth, 'master', bridge, 'up']);
      ip(['-n', ns.name, 'link', 'set', ifName, 'up']);
      const [link] = ipJson<Array<{ address: string }>>(['-n', ns.name, 'link', 'show', ifName]);
      container.mac = link?.address ?? '';
      return container;
    },
    async addNamespace() {
      const ns = await tempNetns('dqc');
      namespaces.push(ns);
      return ns;
    },
    hostExec(argv, o = {}) {
      return execFileSync('ip', ['netns', 'exec', host.name, ...argv], { encoding: 'utf8', input: o.input ?? '', stdio: ['pipe', 'pipe', 'pipe'] });
    },
    killDnsmasqs,
    close: cleanup,
    [Symbol.asyncDispose]: cleanup,
  };
}

/** PIDs of live dnsmasq processes whose command line mentions `dir`. */
export function dnsmasqPidsUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes('dnsmasq') && cmdline.includes(dir)) pids.push(Number(name));
  }
  return pids;
}

export function macBytes(mac: string): Uint8Array {
  return Uint8Array.from(mac.split(':'), (h) => Number.parseInt(h, 16));
}
