// Byte layouts of the socket addresses we pass to bind/sendto (linux/in.h, linux/netlink.h).
import { ipv4Octets } from '../codec/ip-text.ts';
import { AF } from './constants.ts';

/** struct sockaddr_in (16 bytes): family (host order), port and address (network order), 8 zero bytes. */
export function sockaddrIn(address: string, port: number): Uint8Array {
  // A canonical dotted quad, what ipaddr.js's IPv4.isValidFourPartDecimal accepts (read by hand: see ip-text.ts).
  const octets = ipv4Octets(address);
  if (!octets) throw new TypeError(`sockaddrIn: not an IPv4 address: "${address}"`);
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`sockaddrIn: bad port ${port}`);
  const buf = new Uint8Array(16);
  const view = new DataView(buf.buffer);
  view.setUint16(0, AF.INET, true);
  view.setUint16(2, port, false);
  buf.set(octets, 4);
  return buf;
}

/** Reads a sockaddr_in (as returned by recvfrom) back into a dotted address and a port. */
export function parseSockaddrIn(bytes: Uint8Array): { address: string; port: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint16(0, true) !== AF.INET) throw new TypeError('parseSockaddrIn: not a sockaddr_in');
  return { address: Array.from(bytes.subarray(4, 8)).join('.'), port: view.getUint16(2, false) };
}

/** struct sockaddr_nl (12 bytes): family, pad, port id (0 = let the kernel pick), multicast group bitmask. */
export function sockaddrNl(groups = 0, portId = 0): Uint8Array {
  const buf = new Uint8Array(12);
  const view = new DataView(buf.buffer);
  view.setUint16(0, AF.NETLINK, true);
  view.setUint32(4, portId, true);
  view.setUint32(8, groups, true);
  return buf;
}
