// The ADD side of the exchange (design §2.5, §2.6): a UDP socket created inside the container namespace, bound to
// CNI_IFNAME and port 68, broadcasting a rapid-commit DISCOVER. Plain node dgram cannot do this: in a namespace
// without routes it fails with ENETUNREACH, and it creates its fd on a later tick, outside the namespace window.
import { UdpSocket } from '@cni-ts/netlink/sys';
import { BOOTP, DhcpMessageType } from './constants.ts';
import { buildDiscover, buildRequest, parseReply } from './packets.ts';
import type { ClientIdentity, DhcpReply } from './packets.ts';
import { newXid } from './xid.ts';

export type LeaseOutcome =
  | { kind: 'ack'; reply: DhcpReply; exchanges: 'rapid-commit' | 'four-way' }
  /** Every attempt ended in a NAK (F9). */
  | { kind: 'refused'; naks: number; message?: string }
  | { kind: 'timeout' };

export interface LeaseRequest {
  /** CNI_NETNS (path) or an open namespace fd. */
  netns: string | number;
  ifName: string;
  client: ClientIdentity;
  requestedIp?: number | undefined;
  timeoutMs: number;
  attempts: number;
}

/** Opens the client socket in the container namespace: SO_BINDTODEVICE on the interface, port 68, broadcast. */
export function openClientSocket(netns: string | number, ifName: string): UdpSocket {
  return UdpSocket.open({ netns, device: ifName, broadcast: true, reuseAddr: true, bind: { port: BOOTP.CLIENT_PORT } });
}

/**
 * Leases an address for `client`. Each attempt uses a new xid and waits `timeoutMs` for the ACK; retries are
 * idempotent because the client-id stays the same (dnsmasq hands the same client the same lease). An OFFER (a server
 * without rapid commit) is answered with a REQUEST; a NAK restarts from DISCOVER.
 */
export async function acquireLease(request: LeaseRequest): Promise<LeaseOutcome> {
  using socket = openClientSocket(request.netns, request.ifName);
  let naks = 0;
  let nakMessage: string | undefined;
  for (let attempt = 0; attempt < request.attempts; attempt++) {
    const xid = newXid();
    socket.sendTo(buildDiscover({ xid, client: request.client, requestedIp: request.requestedIp }), '255.255.255.255', BOOTP.SERVER_PORT);
    let deadline = Date.now() + request.timeoutMs;
    let requested = false;
    for (;;) {
      const reply = await receiveReply(socket, xid, deadline);
      if (!reply) break;
      if (reply.type === DhcpMessageType.ACK) return { kind: 'ack', reply, exchanges: requested ? 'four-way' : 'rapid-commit' };
      if (reply.type === DhcpMessageType.NAK) {
        naks++;
        nakMessage = reply.message;
        break;
      }
      if (reply.type === DhcpMessageType.OFFER && !requested && reply.serverId !== undefined) {
        requested = true;
        socket.sendTo(buildRequest({ xid, client: request.client, requestedIp: reply.yiaddr, serverId: reply.serverId }), '255.255.255.255', BOOTP.SERVER_PORT);
        deadline = Date.now() + request.timeoutMs;
      }
    }
  }
  if (naks === request.attempts) return nakMessage === undefined ? { kind: 'refused', naks } : { kind: 'refused', naks, message: nakMessage };
  return { kind: 'timeout' };
}

/** The next reply for `xid`, skipping other transactions' broadcasts (concurrent ADDs share the bridge). */
async function receiveReply(socket: UdpSocket, xid: number, deadline: number): Promise<DhcpReply | undefined> {
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    const datagram = await socket.receive({ timeoutMs: left, maxBytes: 1500 });
    if (!datagram) return undefined;
    const reply = parseReply(datagram.data);
    if (reply && reply.xid === xid) return reply;
  }
}
