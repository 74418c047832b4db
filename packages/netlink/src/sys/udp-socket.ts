// An IPv4 UDP socket owned through libc, for DHCP-style exchanges: it can be created inside another network
// namespace (node's dgram creates its fd lazily, on a later tick, so it would land in the wrong namespace) and
// bound to a device, and it is read without threads via waitReadable.
import { AF, IPPROTO, MSG, SO, SOCK, SOL } from './constants.ts';
import { withNetns } from './netns.ts';
import { PollCanceller, waitReadable } from './poll.ts';
import { parseSockaddrIn, sockaddrIn } from './sockaddr.ts';
import { bind, close, recvfrom, sendto, setsockoptInt, setsockoptString, socket } from './socket.ts';
import { isSysError } from './sys-error.ts';

export interface UdpSocketOptions {
  /** Create the socket inside this network namespace (path or fd); it stays bound to it. Needs a warm threadpool. */
  netns?: string | number;
  /** SO_BINDTODEVICE: send and receive only through this interface (in the socket's namespace). */
  device?: string;
  /** SO_BROADCAST: allow sending to 255.255.255.255 or a subnet broadcast address. */
  broadcast?: boolean;
  /** SO_REUSEADDR, so several sockets (e.g. concurrent plugins) can bind port 68 on different devices. */
  reuseAddr?: boolean;
  /** bind(2) address and port; default 0.0.0.0 and an ephemeral port. */
  bind?: { address?: string; port: number };
}

export interface Datagram {
  data: Uint8Array;
  address: string;
  port: number;
}

export class UdpSocket implements Disposable {
  readonly fd: number;
  readonly #closing = new PollCanceller(); // not AbortController: see PollCanceller
  #closed = false;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens and configures the socket synchronously; on any failure the fd is closed before the error propagates. */
  static open(options: UdpSocketOptions = {}): UdpSocket {
    const create = (): number => {
      const fd = socket(AF.INET, SOCK.DGRAM | SOCK.NONBLOCK, IPPROTO.UDP);
      try {
        if (options.reuseAddr) setsockoptInt(fd, SOL.SOCKET, SO.REUSEADDR, 1);
        if (options.broadcast) setsockoptInt(fd, SOL.SOCKET, SO.BROADCAST, 1);
        if (options.device !== undefined) setsockoptString(fd, SOL.SOCKET, SO.BINDTODEVICE, options.device);
        if (options.bind) bind(fd, sockaddrIn(options.bind.address ?? '0.0.0.0', options.bind.port));
        return fd;
      } catch (err) {
        close(fd);
        throw err;
      }
    };
    return new UdpSocket(options.netns === undefined ? create() : withNetns(options.netns, create));
  }

  /** sendto(2); returns the bytes sent. */
  sendTo(data: Uint8Array, address: string, port: number): number {
    return sendto(this.fd, data, sockaddrIn(address, port));
  }

  /**
   * The next datagram, or undefined if none arrives within `timeoutMs`. Datagrams longer than `maxBytes` are cut.
   * Closing the socket meanwhile makes it throw.
   */
  async receive(options: { timeoutMs: number; maxBytes?: number }): Promise<Datagram | undefined> {
    const deadline = Date.now() + options.timeoutMs;
    const buf = new Uint8Array(options.maxBytes ?? 65_535);
    for (;;) {
      if (this.#closed) throw new Error('UdpSocket: the socket is closed');
      try {
        const { length, from } = recvfrom(this.fd, buf, MSG.DONTWAIT);
        return { data: buf.slice(0, length), ...parseSockaddrIn(from) };
      } catch (err) {
        if (!isSysError(err, 'EAGAIN')) throw err;
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const readable = await waitReadable(this.fd, left, this.#closing);
      if (this.#closed) throw new Error('UdpSocket: the socket is closed');
      if (!readable) return undefined;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(); // stop a pending poll before its fd goes away
    close(this.fd);
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
