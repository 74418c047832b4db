// The four client messages dnsmasq-ipam sends (design §2.5) and the typed view of a server reply.
import { BOOTP, DhcpMessageType, DhcpOption, INFINITE_LEASE } from './constants.ts';
import { decodeDhcpMessage, encodeDhcpMessage, findOption } from './message.ts';
import type { DhcpMessage, DhcpOptionEntry } from './message.ts';
import { ipv4Bytes, readIpv4 } from '../ipv4.ts';

/** What a DISCOVER asks for: mask, router, DNS, domain, lease time, server id, classless routes. */
export const DISCOVER_PARAMETERS = Uint8Array.of(1, 3, 6, 15, 51, 54, 121);
/** An INFORM asks for the lease time and host name: dnsmasq answers with them only if it holds a lease for ciaddr. */
export const INFORM_PARAMETERS = Uint8Array.of(51, 12);

export interface ClientIdentity {
  /** Ethernet MAC of the container interface (6 bytes). */
  mac: Uint8Array;
  /** Option 61 payload, type byte included. */
  clientId: Uint8Array;
  /** Option 12; already a valid label. */
  hostname: string;
}

const u8 = (value: number): Uint8Array => Uint8Array.of(value);
const u32 = (value: number): Uint8Array => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
};
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function clientMessage(fields: Partial<DhcpMessage> & Pick<DhcpMessage, 'xid' | 'options'>): Buffer {
  return encodeDhcpMessage({
    op: BOOTP.REQUEST,
    htype: BOOTP.HTYPE_ETHERNET,
    hlen: 0,
    hops: 0,
    secs: 0,
    flags: 0,
    ciaddr: 0,
    yiaddr: 0,
    siaddr: 0,
    giaddr: 0,
    chaddr: new Uint8Array(0),
    ...fields,
  });
}

function leaseRequestOptions(client: ClientIdentity): DhcpOptionEntry[] {
  return [
    { code: DhcpOption.CLIENT_IDENTIFIER, data: client.clientId },
    { code: DhcpOption.HOST_NAME, data: text(client.hostname) },
    { code: DhcpOption.IP_ADDRESS_LEASE_TIME, data: u32(INFINITE_LEASE) },
    { code: DhcpOption.PARAMETER_REQUEST_LIST, data: DISCOVER_PARAMETERS },
  ];
}

/**
 * DISCOVER with rapid commit (option 80): dnsmasq answers with an ACK directly, so one round trip leases.
 * Broadcast flag set: the interface has no address yet, so a unicast reply would never reach the socket.
 */
export function buildDiscover(opts: { xid: number; client: ClientIdentity; requestedIp?: number | undefined }): Buffer {
  const options: DhcpOptionEntry[] = [{ code: DhcpOption.DHCP_MESSAGE_TYPE, data: u8(DhcpMessageType.DISCOVER) }];
  if (opts.requestedIp !== undefined) options.push({ code: DhcpOption.REQUESTED_IP_ADDRESS, data: ipv4Bytes(opts.requestedIp) });
  options.push(...leaseRequestOptions(opts.client), { code: DhcpOption.RAPID_COMMIT, data: new Uint8Array(0) });
  return clientMessage({ xid: opts.xid, hlen: opts.client.mac.length, chaddr: opts.client.mac, flags: BOOTP.FLAG_BROADCAST, options });
}

/** REQUEST for an OFFER: the 4-way fallback for a server without rapid commit (operator-run dnsmasq). */
export function buildRequest(opts: { xid: number; client: ClientIdentity; requestedIp: number; serverId: number }): Buffer {
  const options: DhcpOptionEntry[] = [
    { code: DhcpOption.DHCP_MESSAGE_TYPE, data: u8(DhcpMessageType.REQUEST) },
    { code: DhcpOption.REQUESTED_IP_ADDRESS, data: ipv4Bytes(opts.requestedIp) },
    { code: DhcpOption.SERVER_IDENTIFIER, data: ipv4Bytes(opts.serverId) },
    ...leaseRequestOptions(opts.client),
  ];
  return clientMessage({ xid: opts.xid, hlen: opts.client.mac.length, chaddr: opts.client.mac, flags: BOOTP.FLAG_BROADCAST, options });
}

/**
 * RELEASE sent from the host through the bridge: ciaddr carries the address, hlen 0 (dnsmasq finds the lease by
 * client-id), server id must equal dnsmasq's address. Never option 50: dnsmasq then zeroes ciaddr and silently drops
 * the release (mozim#87, reproduced in the design lab).
 */
export function buildRelease(opts: { xid: number; address: number; serverId: number; clientId: Uint8Array }): Buffer {
  return clientMessage({
    xid: opts.xid,
    ciaddr: opts.address,
    options: [
      { code: DhcpOption.DHCP_MESSAGE_TYPE, data: u8(DhcpMessageType.RELEASE) },
      { code: DhcpOption.SERVER_IDENTIFIER, data: ipv4Bytes(opts.serverId) },
      { code: DhcpOption.CLIENT_IDENTIFIER, data: opts.clientId },
    ],
  });
}

/** INFORM for an address: the reply carries a lease time (51) only if dnsmasq holds a lease for it. */
export function buildInform(opts: { xid: number; address: number }): Buffer {
  return clientMessage({
    xid: opts.xid,
    ciaddr: opts.address,
    options: [
      { code: DhcpOption.DHCP_MESSAGE_TYPE, data: u8(DhcpMessageType.INFORM) },
      { code: DhcpOption.PARAMETER_REQUEST_LIST, data: INFORM_PARAMETERS },
    ],
  });
}

export interface DhcpReply {
  type: DhcpMessageType | number;
  xid: number;
  yiaddr: number;
  serverId?: number;
  /** Seconds; INFINITE_LEASE for infinite. */
  leaseTime?: number;
  subnetMask?: number;
  routers: number[];
  dnsServers: number[];
  domainName?: string;
  hostname?: string;
  /** Option 56, e.g. the reason of a NAK. */
  message?: string;
  rapidCommit: boolean;
}

/** Decodes a server reply; undefined for anything that is not a BOOTP reply with a message type. */
export function parseReply(packet: Uint8Array): DhcpReply | undefined {
  let message: DhcpMessage;
  try {
    message = decodeDhcpMessage(packet);
  } catch {
    return undefined; // not DHCP, or truncated: the receive loop just waits for the next datagram
  }
  const type = findOption(message, DhcpOption.DHCP_MESSAGE_TYPE)?.[0];
  if (message.op !== BOOTP.REPLY || type === undefined) return undefined;
  const reply: DhcpReply = {
    type,
    xid: message.xid,
    yiaddr: message.yiaddr,
    routers: addressList(findOption(message, DhcpOption.ROUTER)),
    dnsServers: addressList(findOption(message, DhcpOption.DOMAIN_NAME_SERVER)),
    rapidCommit: findOption(message, DhcpOption.RAPID_COMMIT) !== undefined,
  };
  const serverId = findOption(message, DhcpOption.SERVER_IDENTIFIER);
  if (serverId?.length === 4) reply.serverId = readIpv4(serverId);
  const leaseTime = findOption(message, DhcpOption.IP_ADDRESS_LEASE_TIME);
  if (leaseTime?.length === 4) reply.leaseTime = readIpv4(leaseTime);
  const mask = findOption(message, DhcpOption.SUBNET_MASK);
  if (mask?.length === 4) reply.subnetMask = readIpv4(mask);
  const domain = findOption(message, DhcpOption.DOMAIN_NAME);
  if (domain) reply.domainName = decodeText(domain);
  const hostname = findOption(message, DhcpOption.HOST_NAME);
  if (hostname) reply.hostname = decodeText(hostname);
  const text56 = findOption(message, DhcpOption.MESSAGE);
  if (text56) reply.message = decodeText(text56);
  return reply;
}

function addressList(data: Uint8Array | undefined): number[] {
  const out: number[] = [];
  if (!data) return out;
  for (let at = 0; at + 4 <= data.length; at += 4) out.push(readIpv4(data, at));
  return out;
}

/** Strings in options may be NUL-terminated by some servers (RFC 2132 says they should not be). */
function decodeText(data: Uint8Array): string {
  return new TextDecoder().decode(data).replace(/\0+$/, '');
}
