// "dnsmasq runs with the current config" for one network (design §2.7 ADD step 3). The caller holds the network
// lock EXCLUSIVE, so exactly one process starts dnsmasq even when 32 ADDs race (measured without the lock: 31/32
// failed on the DNS port, or, with port=0, two instances served one bridge with two lease databases).
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from '@cni-ts/skel';
import { renderDnsmasqConf } from './conf-file.ts';
import type { DnsmasqSettings } from './conf-file.ts';
import { findSystemdRun, launchCommands, runningDnsmasqPid, startDnsmasq, stopDnsmasq } from './daemon.ts';
import { servedInterface } from './conf-file.ts';
import { dnsmasqStartFailed, interfaceNotFound, interfaceServedByOther } from '../errors.ts';
import { formatCidr } from '../ipv4.ts';
import type { IpamSettings } from '../config.ts';
import type { Links } from '../links.ts';
import { writeFileAtomic } from '../state/atomic-file.ts';
import { networkPaths } from '../state/paths.ts';
import type { NetworkPaths } from '../state/paths.ts';

export function dnsmasqSettings(ipam: IpamSettings): DnsmasqSettings {
  return {
    interface: ipam.interface,
    gateway: ipam.gateway,
    prefix: ipam.subnet.prefix,
    rangeStart: ipam.rangeStart,
    rangeEnd: ipam.rangeEnd,
    dns: ipam.dns,
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return readFileSync(path, 'utf8'); // synchronous: node:fs/promises costs a plugin run ~1.5 ms to load
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** True when dnsmasq is alive and runs the config this netconf renders to (safe to check under a SHARED lock). */
export async function dnsmasqUpToDate(ipam: IpamSettings, paths: NetworkPaths): Promise<boolean> {
  if (runningDnsmasqPid(paths) === undefined) return false;
  return (await readText(paths.conf)) === renderDnsmasqConf(dnsmasqSettings(ipam), paths);
}

export interface EnsureOptions {
  network: string;
  ipam: IpamSettings;
  paths: NetworkPaths;
  binary: string;
  links: Links;
  log: Logger;
}

/**
 * Under the EXCLUSIVE lock: (re)write the config if the netconf changed (stopping the old daemon first), refuse a
 * bridge another network's dnsmasq serves (F10), make sure the bridge exists and carries the gateway address (F1:
 * without it dnsmasq starts fine and then never answers), and start dnsmasq. The lease file is kept, so a restart
 * after a crash or a config change gives every attachment its address and name back.
 */
export async function ensureDnsmasq(o: EnsureOptions): Promise<'running' | 'started'> {
  const text = renderDnsmasqConf(dnsmasqSettings(o.ipam), o.paths);
  const current = await readText(o.paths.conf);
  const pid = runningDnsmasqPid(o.paths);
  if (current === text && pid !== undefined) return 'running';
  await refuseSharedInterface(o);
  if (current !== text) {
    if (pid !== undefined) o.log.info('config changed: restarting dnsmasq', { network: o.network, pid });
    await stopDnsmasq(o.paths);
    await writeFileAtomic(o.paths.conf, text, 0o600);
  }
  await ensureGatewayAddress(o);
  const launcher = startDnsmasq({
    launchers: launchCommands({ binary: o.binary, paths: o.paths, network: o.network, systemdRun: findSystemdRun() }),
    onFallback: (why) => o.log.warn('systemd-run failed; starting dnsmasq as a plain child', { why }),
  });
  const started = runningDnsmasqPid(o.paths);
  if (started === undefined) throw dnsmasqStartFailed('exit 0, but it is not running', `see ${o.paths.log}`);
  o.log.info('started dnsmasq', { network: o.network, pid: started, via: launcher.via });
  return 'started';
}

async function ensureGatewayAddress(o: EnsureOptions): Promise<void> {
  const iface = o.ipam.interface;
  const addresses = await o.links.hostAddresses(iface);
  if (addresses === undefined) throw interfaceNotFound(iface);
  if (addresses.some((a) => a.address === o.ipam.gateway)) return;
  const gateway = { address: o.ipam.gateway, prefix: o.ipam.subnet.prefix };
  o.log.info('adding the gateway address to the bridge', { iface, address: formatCidr(gateway.address, gateway.prefix) });
  await o.links.addHostAddress(iface, gateway);
}

/** F10: another network's live dnsmasq on the same bridge would be a second lease database answering DISCOVERs. */
async function refuseSharedInterface(o: EnsureOptions): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(o.ipam.runDir);
  } catch {
    return; // no run directory: no other network either
  }
  for (const other of names) {
    if (other === o.network) continue;
    const paths = networkPaths(o.ipam.runDir, other);
    const text = await readText(paths.conf).catch(() => undefined);
    if (text !== undefined && servedInterface(text) === o.ipam.interface && runningDnsmasqPid(paths) !== undefined) {
      throw interfaceServedByOther(o.ipam.interface, other);
    }
  }
}
