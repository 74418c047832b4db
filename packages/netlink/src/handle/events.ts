// Multicast event subscription (RTNLGRP_*), so callers wait for a state (oper-up, DAD done) instead of sleeping.
// The socket is read through koffi's uv_poll binding on the main loop: no thread is created.
import { WaitTimeoutError } from '../errors.ts';
import { NLMSG, RTM, RTNLGRP } from '../message/constants.ts';
import { frames } from '../message/header.ts';
import { addressMessageBody } from '../route/address.ts';
import { linkMessageBody } from '../route/link.ts';
import { PollCanceller, waitReadable } from '../sys/poll.ts';
import { SO, SOL } from '../sys/constants.ts';
import { setsockoptInt } from '../sys/socket.ts';
import { isSysError } from '../sys/sys-error.ts';
import { NetlinkSocket } from '../transport/netlink-socket.ts';
import { toAddress, type Address } from './address-view.ts';
import { toLink, type Link } from './link-view.ts';

export type EventGroup = 'link' | 'ipv4-address' | 'ipv6-address';

const GROUPS: Record<EventGroup, number> = {
  link: RTNLGRP.LINK,
  'ipv4-address': RTNLGRP.IPV4_IFADDR,
  'ipv6-address': RTNLGRP.IPV6_IFADDR,
};

export type NetlinkEvent =
  | { type: 'link'; action: 'new' | 'del'; link: Link }
  | { type: 'address'; action: 'new' | 'del'; address: Address }
  /** The socket's receive queue overflowed (ENOBUFS): events were lost, so re-read the state you care about. */
  | { type: 'overrun' };

export interface SubscribeOptions {
  /** SO_RCVBUF for the event socket; the kernel doubles it and enforces a minimum. Raise it on busy hosts. */
  receiveBufferBytes?: number;
}

/** A stream of events from one namespace. Open it before checking the state you wait for, so nothing is missed. */
export class EventStream implements Disposable {
  readonly #socket: NetlinkSocket;
  readonly #queue: NetlinkEvent[] = [];
  readonly #buf = new Uint8Array(64 * 1024);
  readonly #onClose: () => void;
  readonly #closing = new PollCanceller(); // not AbortController: see PollCanceller
  #closed = false;

  constructor(socket: NetlinkSocket, onClose: () => void = () => undefined) {
    this.#socket = socket;
    this.#onClose = onClose;
  }

  /** Opens the multicast socket inside a namespace window (`inNetns`). */
  static open(
    groups: readonly EventGroup[],
    inNetns: <T>(fn: () => T) => T,
    options: SubscribeOptions = {},
    onClose?: () => void,
  ): EventStream {
    const socket = inNetns(() => NetlinkSocket.open({ groups: groups.map((g) => GROUPS[g]) }));
    try {
      if (options.receiveBufferBytes !== undefined) setsockoptInt(socket.fd, SOL.SOCKET, SO.RCVBUF, options.receiveBufferBytes);
    } catch (err) {
      socket.close();
      throw err;
    }
    return new EventStream(socket, onClose);
  }

  /** The next event, or undefined if none arrives within `timeoutMs`. */
  async next(options: { timeoutMs: number }): Promise<NetlinkEvent | undefined> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (this.#closed) throw new Error('netlink: event stream is closed');
      this.#drain();
      const ev = this.#queue.shift();
      if (ev) return ev;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      const readable = await waitReadable(this.#socket.fd, left, this.#closing);
      if (this.#closed) throw new Error('netlink: event stream is closed');
      if (!readable) return undefined;
    }
  }

  /** The first event matching `predicate`; throws WaitTimeoutError after `timeoutMs`. */
  async waitFor(
    predicate: (ev: NetlinkEvent) => boolean,
    options: { timeoutMs: number; what?: string },
  ): Promise<NetlinkEvent> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const ev = await this.next({ timeoutMs: Math.max(0, deadline - Date.now()) });
      if (!ev) throw new WaitTimeoutError(options.what ?? 'a matching netlink event', options.timeoutMs);
      if (predicate(ev)) return ev;
    }
  }

  #drain(): void {
    for (;;) {
      let n: number;
      try {
        n = this.#socket.tryRecv(this.#buf);
      } catch (err) {
        if (!isSysError(err, 'ENOBUFS')) throw err;
        this.#queue.push({ type: 'overrun' });
        continue;
      }
      if (n === 0) return;
      for (const { header, payload } of frames(this.#buf, n)) {
        switch (header.type) {
          case RTM.NEWLINK:
          case RTM.DELLINK:
            this.#queue.push({
              type: 'link',
              action: header.type === RTM.NEWLINK ? 'new' : 'del',
              link: toLink(linkMessageBody.decode(payload)),
            });
            break;
          case RTM.NEWADDR:
          case RTM.DELADDR:
            this.#queue.push({
              type: 'address',
              action: header.type === RTM.NEWADDR ? 'new' : 'del',
              address: toAddress(addressMessageBody.decode(payload)),
            });
            break;
          case NLMSG.NOOP:
          default:
            break; // other groups' messages are not subscribed to; ignore anything else
        }
      }
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closing.abort(); // stop a pending poll before its fd goes away
    this.#socket.close();
    this.#onClose();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
