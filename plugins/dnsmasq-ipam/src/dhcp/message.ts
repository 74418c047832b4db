// The BOOTP/DHCP message codec: header fields plus an ordered option list. Pure; no sockets.
import { BOOTP, DhcpOption, MAGIC_COOKIE } from './constants.ts';
import { ipv4Bytes, readIpv4 } from '../ipv4.ts';

export interface DhcpOptionEntry {
  code: number;
  data: Uint8Array;
}

export interface DhcpMessage {
  op: number;
  htype: number;
  /** Hardware address length; 0 for the host-side RELEASE and INFORM (chaddr unused, dnsmasq matches client-id). */
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  ciaddr: number;
  yiaddr: number;
  siaddr: number;
  giaddr: number;
  /** The first `hlen` bytes of the 16-byte chaddr field. */
  chaddr: Uint8Array;
  /** In wire order; a code may appear once (long values are concatenated on decode, RFC 3396). */
  options: DhcpOptionEntry[];
}

export class DhcpDecodeError extends Error {
  override name = 'DhcpDecodeError';
}

export function encodeDhcpMessage(message: DhcpMessage): Buffer {
  let optionsLength = 1; // END
  for (const option of message.options) {
    if (option.data.length > 255) throw new RangeError(`DHCP option ${option.code} is ${option.data.length} bytes (max 255)`);
    optionsLength += 2 + option.data.length;
  }
  const length = Math.max(BOOTP.MIN_PACKET_LENGTH, BOOTP.HEADER_LENGTH + MAGIC_COOKIE.length + optionsLength);
  const out = Buffer.alloc(length); // zero fill = PAD after END, and empty sname/file
  out[0] = message.op;
  out[1] = message.htype;
  out[2] = message.hlen;
  out[3] = message.hops;
  // DataView rather than Buffer's writeUInt*BE: those are compiled on first use from node's sources (part of the
  // cost of every in-process DHCP exchange), and DataView's are built in.
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(4, message.xid >>> 0);
  view.setUint16(8, message.secs);
  view.setUint16(10, message.flags);
  out.set(ipv4Bytes(message.ciaddr), 12);
  out.set(ipv4Bytes(message.yiaddr), 16);
  out.set(ipv4Bytes(message.siaddr), 20);
  out.set(ipv4Bytes(message.giaddr), 24);
  out.set(message.chaddr.subarray(0, 16), 28);
  out.set(MAGIC_COOKIE, BOOTP.HEADER_LENGTH);
  let at = BOOTP.HEADER_LENGTH + MAGIC_COOKIE.length;
  for (const option of message.options) {
    out[at++] = option.code;
    out[at++] = option.data.length;
    out.set(option.data, at);
    at += option.data.length;
  }
  out[at] = DhcpOption.END;
  return out;
}

export function decodeDhcpMessage(packet: Uint8Array): DhcpMessage {
  if (packet.length < BOOTP.HEADER_LENGTH + MAGIC_COOKIE.length) {
    throw new DhcpDecodeError(`DHCP packet too short: ${packet.length} bytes`);
  }
  for (let i = 0; i < MAGIC_COOKIE.length; i++) {
    if (packet[BOOTP.HEADER_LENGTH + i] !== MAGIC_COOKIE[i]) throw new DhcpDecodeError('DHCP packet has no magic cookie');
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const hlen = packet[2] ?? 0;
  const collected = new Map<number, Uint8Array[]>();
  const overload = readOptionArea(packet, BOOTP.HEADER_LENGTH + MAGIC_COOKIE.length, packet.length, collected);
  // Option overload (option 52): file (bit 1) then sname (bit 2) carry more options, in that order.
  if (overload & 1) readOptionArea(packet, 108, 236, collected);
  if (overload & 2) readOptionArea(packet, 44, 108, collected);
  const options: DhcpOptionEntry[] = [];
  for (const [code, parts] of collected) options.push({ code, data: concatBytes(parts) });
  return {
    op: packet[0] ?? 0,
    htype: packet[1] ?? 0,
    hlen,
    hops: packet[3] ?? 0,
    xid: view.getUint32(4),
    secs: view.getUint16(8),
    flags: view.getUint16(10),
    ciaddr: readIpv4(packet, 12),
    yiaddr: readIpv4(packet, 16),
    siaddr: readIpv4(packet, 20),
    giaddr: readIpv4(packet, 24),
    chaddr: new Uint8Array(packet.subarray(28, 28 + Math.min(hlen, 16))),
    options,
  };
}

/** Reads code/length/value triples into `into`; returns the option-overload value if option 52 was seen. */
function readOptionArea(packet: Uint8Array, start: number, end: number, into: Map<number, Uint8Array[]>): number {
  let overload = 0;
  let at = start;
  while (at < end) {
    const code = packet[at++] ?? DhcpOption.END;
    if (code === DhcpOption.PAD) continue;
    if (code === DhcpOption.END) return overload;
    const length = packet[at++];
    if (length === undefined || at + length > end) throw new DhcpDecodeError(`DHCP option ${code} runs past the end of the packet`);
    const data = new Uint8Array(packet.subarray(at, at + length)); // a plain copy, even when given a Buffer
    at += length;
    if (code === DhcpOption.OPTION_OVERLOAD) overload = data[0] ?? 0;
    else {
      const parts = into.get(code);
      if (parts) parts.push(data);
      else into.set(code, [data]);
    }
  }
  return overload;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function findOption(message: DhcpMessage, code: number): Uint8Array | undefined {
  return message.options.find((option) => option.code === code)?.data;
}
