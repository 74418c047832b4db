// dnsmasq-ipam's failure modes (design §2.8, F0-F11) as CNI errors. Codes 100-105 are plugin-specific; 7, 11 and 50
// are the spec's. Every message says what failed and where; details say what to do about it.
import { CniError, ErrorCode } from '@cni-ts/skel';

export const DnsmasqIpamCode = {
  /** F0, F1: the dnsmasq binary or the served interface does not exist. */
  NotFound: 100,
  /** F2, F3: dnsmasq exited non-zero at start; CHECK: dnsmasq is not running. */
  DnsmasqFailed: 101,
  /** F4-F6: no DHCP answer within the timeout (with a diagnosis). */
  NoReply: 102,
  /** The server answered with a lease we cannot use (not infinite, outside the subnet or range, no address). */
  InvalidLease: 103,
  /** F7: the requested address was not granted; CHECK: the lease is gone or held by another client. */
  AddressUnavailable: 104,
  /** F9: the server kept refusing (NAK) until the attempts ran out. */
  Refused: 105,
} as const;

const INSTALL_HINT =
  'install dnsmasq (Debian/Ubuntu: apt-get install dnsmasq-base; Fedora/RHEL: dnf install dnsmasq) or set ipam.dnsmasqPath';

/** F0. `configured` is ipam.dnsmasqPath when set; otherwise the search covered PATH, /usr/sbin and /sbin. */
export function dnsmasqNotFound(configured?: string): CniError {
  const looked = configured === undefined ? 'looked for dnsmasq in PATH, /usr/sbin, /sbin' : `ipam.dnsmasqPath "${configured}" does not exist or is not executable`;
  return new CniError(DnsmasqIpamCode.NotFound, 'dnsmasq-ipam: dnsmasq binary not found', `${looked}; ${INSTALL_HINT}`);
}

/** F1: the bridge (ipam.interface, or the network's `bridge`) does not exist in the plugin's namespace. */
export function interfaceNotFound(name: string): CniError {
  return new CniError(DnsmasqIpamCode.NotFound, `interface ${name} not found`, 'dnsmasq-ipam serves an existing bridge: the bridge plugin creates it before calling IPAM');
}

/** F2, F3: dnsmasq's own message (stderr) is the details. */
export function dnsmasqStartFailed(exit: string, stderr: string): CniError {
  const hint = /address already in use/i.test(stderr) && /listening socket/i.test(stderr)
    ? '; another DNS server holds port 53 on this interface: stop it or set ipam.dns.enable=false'
    : '';
  return new CniError(DnsmasqIpamCode.DnsmasqFailed, `dnsmasq failed to start (${exit})`, `${stderr.trim() || 'dnsmasq printed nothing'}${hint}`);
}

export function dnsmasqNotRunning(network: string, logPath: string): CniError {
  return new CniError(DnsmasqIpamCode.DnsmasqFailed, `dnsmasq for network ${network} is not running`, `the next ADD restarts it; see ${logPath}`);
}

/** F4-F6: `reason` is the diagnosis made after the timeout. */
export function noReply(opts: { iface: string; containerId: string; ifName: string; reason: string }): CniError {
  return new CniError(DnsmasqIpamCode.NoReply, `no DHCP reply on ${opts.iface} for ${opts.containerId}/${opts.ifName}: ${opts.reason}`);
}

export function invalidLease(what: string): CniError {
  return new CniError(DnsmasqIpamCode.InvalidLease, `unusable DHCP lease: ${what}`);
}

/** F7. */
export function requestedAddressUnavailable(address: string, why: string): CniError {
  return new CniError(DnsmasqIpamCode.AddressUnavailable, `requested IP ${address} unavailable`, why);
}

export function leaseMissing(address: string): CniError {
  return new CniError(DnsmasqIpamCode.AddressUnavailable, `dnsmasq has no lease for ${address}`);
}

export function leasedToOther(address: string, owner: string): CniError {
  return new CniError(DnsmasqIpamCode.AddressUnavailable, `${address} is leased to another client (${owner})`);
}

/** F9. */
export function refused(opts: { iface: string; attempts: number; message?: string | undefined }): CniError {
  return new CniError(DnsmasqIpamCode.Refused, `DHCP server on ${opts.iface} refused the lease ${opts.attempts} times`, opts.message ? `last NAK: ${opts.message}` : undefined);
}

/** F10: two dnsmasq instances on one bridge would be two lease databases answering every DISCOVER. */
export function interfaceServedByOther(iface: string, other: string): CniError {
  return new CniError(ErrorCode.InvalidNetworkConfig, `interface ${iface} already served by network ${other}`, 'one bridge can belong to only one dnsmasq-ipam network');
}

/** F11: DHCP releases are fire-and-forget, so DEL confirms them and asks to be retried when it cannot. */
export function releaseUnconfirmed(address: string, network: string): CniError {
  return new CniError(ErrorCode.TryAgainLater, `release of ${address} in network ${network} not confirmed by dnsmasq`, 'the lease may still be held; retry DEL, or GC releases it later');
}

export function lockTimeout(path: string, ms: number): CniError {
  return new CniError(ErrorCode.TryAgainLater, `timed out after ${ms} ms waiting for lock ${path}`);
}

/** STATUS: 50 (cannot serve ADD) or 51 (and existing containers are degraded). */
export function notAvailable(cause: CniError, limited = false): CniError {
  return new CniError(limited ? ErrorCode.LimitedConnectivity : ErrorCode.PluginNotAvailable, cause.msg, cause.details, { cause });
}
