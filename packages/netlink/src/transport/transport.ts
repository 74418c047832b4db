/**
 * The only I/O boundary of the netlink layer: one datagram socket. The real one (netlink-socket.ts) is a
 * NETLINK_ROUTE socket through libc; unit tests use a fake that replays kernel answers.
 */
export interface Transport {
  /** Sends one request datagram. */
  send(bytes: Uint8Array): void;
  /** Sends one request datagram from a worker thread, leaving the event loop free (optional: else `send`). */
  sendInBackground?(bytes: Uint8Array): Promise<void>;
  /** Blocks until the next datagram arrives, copies it into `buf` and returns its length. */
  recv(buf: Uint8Array): number;
  close(): void;
}
