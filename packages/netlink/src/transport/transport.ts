/**
 * The only I/O boundary of the netlink layer: one datagram socket. The real one (netlink-socket.ts) is a
 * NETLINK_ROUTE socket through libc; unit tests use a fake that replays kernel answers.
 */
export interface Transport {
  /** Sends one request datagram. */
  send(bytes: Uint8Array): void;
  /** Blocks until the next datagram arrives, copies it into `buf` and returns its length. */
  recv(buf: Uint8Array): number;
  close(): void;
}
