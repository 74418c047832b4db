// A Transport that replays scripted kernel answers, for unit tests of protocol plumbing and of code that drives
// a Handle without a kernel. Requests are recorded as decoded headers plus raw bytes.
import { openSync } from 'node:fs';
import { Writer } from '../codec/writer.ts';
import { Handle } from '../handle/handle.ts';
import { NLM_F, NLMSG } from '../message/constants.ts';
import { frames, type NetlinkHeader } from '../message/header.ts';
import { CURRENT_NETNS_PATH } from '../sys/netns.ts';
import type { Transport } from '../transport/transport.ts';

export interface SentRequest {
  header: NetlinkHeader;
  bytes: Uint8Array;
}

/** Answers one request with zero or more datagrams (each a concatenation of messages built with `reply`). */
export type Responder = (request: SentRequest) => Uint8Array[];

export class FakeTransport implements Transport {
  readonly sent: SentRequest[] = [];
  readonly #pending: Uint8Array[] = [];
  readonly #respond: Responder;
  closed = false;

  constructor(respond: Responder) {
    this.#respond = respond;
  }

  send(bytes: Uint8Array): void {
    const [first] = [...frames(bytes)];
    if (!first) throw new Error('FakeTransport: empty request');
    const req = { header: first.header, bytes: bytes.slice() };
    this.sent.push(req);
    this.#pending.push(...this.#respond(req));
  }

  recv(buf: Uint8Array): number {
    const next = this.#pending.shift();
    if (!next) throw new Error('FakeTransport: recv with nothing scripted (the real socket would block forever)');
    buf.set(next);
    return next.length;
  }

  close(): void {
    this.closed = true;
  }
}

/** One netlink message: header fields and a payload written by `body`. */
export function reply(header: { type: number; flags?: number; seq: number }, body: (w: Writer) => void = () => undefined): Uint8Array {
  const w = new Writer();
  const start = w.reserve(4);
  w.u16(header.type).u16(header.flags ?? 0).u32(header.seq).u32(0);
  body(w);
  w.patchU32(start, w.length - start);
  return w.finish();
}

/** An NLMSG_ERROR answering `req`: errno 0 is an ack; `extack` adds NLMSGERR_ATTR_MSG as the kernel does. */
export function ackFor(req: SentRequest, errno = 0, extack?: string): Uint8Array {
  const flags = NLM_F.CAPPED | (extack ? NLM_F.ACK_TLVS : 0);
  return reply({ type: NLMSG.ERROR, flags, seq: req.header.seq }, (w) => {
    w.i32(-errno).bytes(req.bytes.subarray(0, 16));
    if (extack) w.attr(1, (x) => x.bytes(new TextEncoder().encode(`${extack}\0`)));
  });
}

/** NLMSG_DONE closing a dump. */
export function doneFor(req: SentRequest, flags = 0): Uint8Array {
  return reply({ type: NLMSG.DONE, flags: NLM_F.MULTI | flags, seq: req.header.seq }, (w) => w.i32(0));
}

/** Concatenates messages into one datagram. */
export function datagram(...messages: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

/** A Handle over a fake transport (operations that need a namespace window run in the current namespace). */
export function fakeHandle(transport: Transport): Handle {
  return new Handle({ netns: undefined, nsFd: openSync(CURRENT_NETNS_PATH, 'r'), transport, isCurrent: true });
}
