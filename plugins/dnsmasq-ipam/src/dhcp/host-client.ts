// The host side of the protocol (design §2.5): DEL, CHECK and GC never enter the container. They talk to dnsmasq
// from the host namespace through a socket bound to the bridge (SO_BINDTODEVICE, as dnsmasq's own dhcp_release
// does), unicast to the gateway. This works after the veth or the whole namespace is gone.
import { UdpSocket } from '@cni-ts/netlink/sys';
import { BOOTP } from './constants.ts';
import { buildInform, buildRelease, parseReply } from './packets.ts';
import type { DhcpReply } from './packets.ts';
import { newXid } from './xid.ts';
import { formatIpv4 } from '../ipv4.ts';

export interface LeaseProbe {
  /** dnsmasq holds a lease for the address (the INFORM answer carries a lease time). */
  leased: boolean;
  /** The lease's host name, when dnsmasq has one. */
  hostname?: string;
}

export class HostDhcpClient implements Disposable {
  readonly #socket: UdpSocket;
  readonly #server: string;

  /** `iface` is the bridge; `server` is dnsmasq's address on it (the gateway). */
  private constructor(iface: string, server: number, netns?: string) {
    const options = { device: iface, bind: { port: 0 } };
    this.#socket = UdpSocket.open(netns === undefined ? options : { ...options, netns });
    this.#server = formatIpv4(server);
  }

  /** `netns`: create the socket in that namespace instead of the current one (tests play "host" in a netns). */
  static open(iface: string, server: number, netns?: string): HostDhcpClient {
    return new HostDhcpClient(iface, server, netns);
  }

  /**
   * Asks dnsmasq whether it holds a lease for `address`. undefined = no answer within `timeoutMs`. dnsmasq answers
   * an INFORM to the source address and port, so the reply comes back to this socket.
   */
  async inform(address: number, timeoutMs: number): Promise<LeaseProbe | undefined> {
    const xid = newXid();
    this.#socket.sendTo(buildInform({ xid, address }), this.#server, BOOTP.SERVER_PORT);
    const reply = await this.#receive(xid, timeoutMs);
    if (!reply) return undefined;
    const probe: LeaseProbe = { leased: reply.leaseTime !== undefined };
    if (reply.hostname !== undefined) probe.hostname = reply.hostname;
    return probe;
  }

  /** Sends a RELEASE. dnsmasq never answers one: confirm with {@link inform}. */
  release(opts: { address: number; serverId: number; clientId: Uint8Array }): void {
    this.#socket.sendTo(buildRelease({ xid: newXid(), ...opts }), this.#server, BOOTP.SERVER_PORT);
  }

  async #receive(xid: number, timeoutMs: number): Promise<DhcpReply | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const datagram = await this.#socket.receive({ timeoutMs: left, maxBytes: 1500 });
      if (!datagram) return undefined;
      const reply = parseReply(datagram.data);
      if (reply && reply.xid === xid) return reply;
    }
  }

  close(): void {
    this.#socket.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
