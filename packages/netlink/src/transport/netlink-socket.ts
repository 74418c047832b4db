import { AF, MSG, SOCK, SOL } from '../sys/constants.ts';
import { NETLINK_OPT, NETLINK_ROUTE } from '../message/constants.ts';
import { sockaddrNl } from '../sys/sockaddr.ts';
import { lastErrno, libc, sendOnWorker } from '../sys/libc.ts';

const EAGAIN = 11;
const EINTR = 4;
import { bind, close, recv, send, setsockoptInt, socket } from '../sys/socket.ts';
import { SysError } from '../sys/sys-error.ts';
import type { Transport } from './transport.ts';

/**
 * A NETLINK_ROUTE socket in the namespace of the calling thread at creation time (it stays there). Extended acks
 * (the kernel's error text) and capped acks (no echo of the request) are switched on.
 */
export class NetlinkSocket implements Transport {
  readonly fd: number;
  #closed = false;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Opens a request socket; with `groups`, also joins those RTNLGRP_* multicast groups (non-blocking). */
  static open(options: { groups?: readonly number[] } = {}): NetlinkSocket {
    const groups = options.groups ?? [];
    const fd = socket(AF.NETLINK, SOCK.RAW | (groups.length > 0 ? SOCK.NONBLOCK : 0), NETLINK_ROUTE);
    try {
      setsockoptInt(fd, SOL.NETLINK, NETLINK_OPT.EXT_ACK, 1);
      setsockoptInt(fd, SOL.NETLINK, NETLINK_OPT.CAP_ACK, 1);
      bind(fd, sockaddrNl());
      for (const g of groups) setsockoptInt(fd, SOL.NETLINK, NETLINK_OPT.ADD_MEMBERSHIP, g);
      return new NetlinkSocket(fd);
    } catch (err) {
      close(fd);
      throw err;
    }
  }

  send(bytes: Uint8Array): void {
    send(this.fd, bytes);
  }

  async sendInBackground(bytes: Uint8Array): Promise<void> {
    const n = await sendOnWorker(this.fd, bytes, bytes.length, 0);
    if (n < 0) throw new Error(`netlink: send of a ${bytes.length}-byte request failed on the worker thread`);
  }

  recv(buf: Uint8Array): number {
    const n = recv(this.fd, buf, MSG.TRUNC);
    if (n > buf.length) throw new Error(`netlink: a ${n}-byte datagram did not fit the ${buf.length}-byte receive buffer`);
    return n;
  }

  /** Non-blocking receive for event sockets: the length, or 0 when nothing is queued (EAGAIN). */
  tryRecv(buf: Uint8Array): number {
    // The empty queue is the common case: checked on the raw call, without building (and describing) a SysError.
    for (;;) {
      const n = libc().recv(this.fd, buf, buf.length, MSG.TRUNC | MSG.DONTWAIT);
      if (n >= 0) {
        if (n > buf.length) throw new Error(`netlink: a ${n}-byte datagram did not fit the ${buf.length}-byte receive buffer`);
        return n;
      }
      const errno = lastErrno();
      if (errno === EAGAIN) return 0;
      if (errno !== EINTR) throw new SysError('recv', errno);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    close(this.fd);
  }
}
