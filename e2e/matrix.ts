// THE MATRIX: every cell the e2e suite runs, declared in one place.
//
//   plugin   bridge with host-local | static | dnsmasq-ipam, plus bridge L2-only (no IPAM)
//   version  all 7 cniVersions
//   family   ipv4 | ipv6 | dual (one address of each family) | multi (two IPv6 addresses) | l2 (no addresses);
//            dnsmasq-ipam serves IPv4 only
//   masq     none | iptables | nftables (bridge ipMasq and ipMasqBackend; only where the cell has addresses)
//
// A cell runs ADD, CHECK, pings, DEL, DEL again, then checks that the kernel and the plugins' state are clean
// (harness/scenario.ts). Where a version cannot express a case, the cell declares the error it must get instead.
import type { CniVersion } from '@cni-ts/skel';

export type Ipam = 'host-local' | 'static' | 'dnsmasq-ipam' | 'none';
export type Family = 'ipv4' | 'ipv6' | 'dual' | 'multi' | 'l2';
export type Masq = 'none' | 'iptables' | 'nftables';
/** Whose executable plays a role: ours (the built bundle) or the reference Go plugin in /usr/lib/cni. */
export type Impl = 'ours' | 'ref';

export interface ExpectedError {
  readonly pattern: RegExp;
  readonly why: string;
}

export interface Cell {
  readonly id: string;
  readonly ipam: Ipam;
  readonly version: CniVersion;
  readonly family: Family;
  readonly masq: Masq;
  readonly bridgeImpl: Impl;
  readonly ipamImpl: Impl;
  /** ADD must fail with this (then DEL must still leave nothing behind). */
  readonly addError?: ExpectedError;
  /**
   * DEL may fail with this (the config is invalid for the version, and the reference's IPAM DEL rejects it too), but
   * the cell must still end clean.
   */
  readonly delError?: ExpectedError;
  /** CHECK must fail with this. */
  readonly checkError?: ExpectedError;
}

export const allVersions: readonly CniVersion[] = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'];

const familiesOf: Record<Ipam, readonly Family[]> = {
  'host-local': ['ipv4', 'ipv6', 'dual', 'multi'],
  static: ['ipv4', 'ipv6', 'dual', 'multi'],
  'dnsmasq-ipam': ['ipv4'],
  none: ['l2'],
};

/** Masquerading only means something for a cell with addresses; multi-address cells test versions, not NAT. */
const masqOf = (family: Family): readonly Masq[] => (family === 'multi' || family === 'l2' ? ['none'] : ['none', 'iptables', 'nftables']);

const below = (v: CniVersion, min: CniVersion) => allVersions.indexOf(v) < allVersions.indexOf(min);

/** The errors a version imposes, as the reference plugins and libcni produce them. */
function expectations(version: CniVersion, family: Family): Pick<Cell, 'addError' | 'delError' | 'checkError'> {
  const onePerFamily = /does not support more than 1 address per family/;
  return {
    ...(family === 'l2' && below(version, '0.3.0')
      ? { addError: { pattern: /cannot convert: no valid IP addresses/, why: 'a 0.1.0/0.2.0 result has no interfaces, so an L2-only result cannot be printed' } }
      : {}),
    ...(family === 'multi' && below(version, '0.3.0')
      ? {
          addError: { pattern: onePerFamily, why: 'a 0.1.0/0.2.0 result holds one address per family' },
          delError: { pattern: onePerFamily, why: 'host-local validates its config on DEL too (the reference does)' },
        }
      : {}),
    ...(below(version, '0.4.0')
      ? { checkError: { pattern: /does not support the CHECK command/, why: 'CHECK exists from 0.4.0 (the runtime refuses it)' } }
      : {}),
  };
}

function cell(ipam: Ipam, version: CniVersion, family: Family, masq: Masq, bridgeImpl: Impl = 'ours', ipamImpl: Impl = 'ours'): Cell {
  const plugin = ipam === 'none' ? 'bridge' : `bridge+${ipam}`;
  const impl = bridgeImpl === 'ours' && ipamImpl === 'ours' ? '' : ` [bridge:${bridgeImpl} ipam:${ipamImpl}]`;
  return { id: `${plugin} ${version} ${family} masq=${masq}${impl}`, ipam, version, family, masq, bridgeImpl, ipamImpl, ...expectations(version, family) };
}

export const matrix: readonly Cell[] = (Object.keys(familiesOf) as Ipam[]).flatMap((ipam) =>
  allVersions.flatMap((version) => familiesOf[ipam].flatMap((family) => masqOf(family).map((masq) => cell(ipam, version, family, masq)))));

/**
 * Interop (issue 8, item 3): chains mixing ours and the reference. The reference plugins (1.1.1) speak up to 1.0.0,
 * and their bridge only knows the iptables masquerade backend.
 */
export const interop: readonly Cell[] = [
  cell('host-local', '1.0.0', 'dual', 'iptables', 'ours', 'ref'),
  cell('host-local', '0.4.0', 'ipv4', 'none', 'ours', 'ref'),
  cell('host-local', '1.0.0', 'dual', 'iptables', 'ref', 'ours'),
  cell('host-local', '0.3.1', 'ipv6', 'none', 'ref', 'ours'),
  cell('static', '1.0.0', 'dual', 'iptables', 'ref', 'ours'),
  cell('static', '0.4.0', 'ipv4', 'none', 'ref', 'ours'),
];

/** The plugins' own tests of this harness: the same scenario with only reference executables must pass. */
export const referenceOnly: readonly Cell[] = [
  cell('host-local', '1.0.0', 'dual', 'iptables', 'ref', 'ref'),
  cell('static', '0.2.0', 'ipv4', 'none', 'ref', 'ref'),
];
