// The names and comments the reference plugins give their netfilter objects. They must match byte for byte:
// operators grep for them, and the reference's own DEL/GC finds our rules (and we find theirs) only through them.
// The hashes come from sha512.ts, not node:crypto: loading node:crypto cost an ipMasq run ~2 MiB of peak memory.
import { sha512hex } from './sha512.ts';

/** iptables chain per (network, container): `CNI-` + 24 hex of sha512(network + containerID) (28 chars, the max). */
export function iptablesChainName(network: string, containerId: string): string {
  return `CNI-${sha512hex(network + containerId).slice(0, 24)}`;
}

/** The comment on every iptables masquerade rule: `name: "<net>" id: "<containerID>"`. */
export function iptablesComment(network: string, containerId: string): string {
  return `name: "${network}" id: "${containerId}"`;
}

/** nftables: the first 16 hex of sha512(network); every masquerade rule comment of that network starts with it. */
export function nftNetworkHash(network: string): string {
  return sha512hex(network).slice(0, 16);
}

/** nftables: `<network hash>-<16 hex of sha512(ifname:containerID)>`, the prefix identifying one attachment's rules. */
export function nftInstanceHash(network: string, ifName: string, containerId: string): string {
  return `${nftNetworkHash(network)}-${sha512hex(`${ifName}:${containerId}`).slice(0, 16)}`;
}

/** nft comments are limited to 128 bytes (NFT_USERDATA_MAXLEN); the reference truncates, as do we. */
export const NFT_COMMENT_MAX = 128;

/** The masquerade rule comment: instance hash, then a readable (quote-free, truncated) description. */
export function nftMasqComment(network: string, ifName: string, containerId: string): string {
  const strip = (s: string) => s.replaceAll('"', '');
  const comment = `${nftInstanceHash(network, ifName, containerId)}, net: ${strip(network)}, if: ${strip(ifName)}, id: ${strip(containerId)}`;
  return comment.slice(0, NFT_COMMENT_MAX);
}

/** macspoofchk: the per-attachment id used in chain names and comments (`<containerID>-<ifname>`). */
export function spoofcheckId(containerId: string, ifName: string): string {
  return `${containerId}-${ifName}`;
}
export const spoofcheckIfaceChain = (id: string): string => `cni-br-iface-${id}`;
export const spoofcheckMacChain = (id: string): string => `cni-br-iface-${id}-mac`;
export const spoofcheckComment = (id: string): string => `macspoofchk-${id}`;
