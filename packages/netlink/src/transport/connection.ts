// Protocol plumbing in one place: sequence numbers, acks, multipart dumps, NLM_F_DUMP_INTR retries, and the
// conversion of kernel errors into NetlinkError. Requests are synchronous: a plugin does a handful of them and
// the kernel answers at once, so blocking recv is both simplest and fastest (netlink-transport.md, section 1).
import type { Codec } from '../codec/codec.ts';
import { Writer } from '../codec/writer.ts';
import { NetlinkError } from '../errors.ts';
import { decodeAck, decodeDone } from '../message/ack.ts';
import { NLM_F, NLMSG, messageTypeName } from '../message/constants.ts';
import { encodeMessage, frames } from '../message/header.ts';
import type { Transport } from './transport.ts';

/** How many times a dump interrupted by a concurrent change is restarted (the reference retries 5 times). */
export const DUMP_ATTEMPTS = 5;
const EINTR = 4;

export interface RequestOptions {
  /** What the request is about, for error messages: `link "veth0"`. */
  subject?: string;
}

export class Connection {
  readonly #transport: Transport;
  readonly #buf = new Uint8Array(64 * 1024);
  #seq = 0;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Sends one request with NLM_F_ACK and waits for the kernel's answer. Messages the kernel sends back before the
   * ack (NLM_F_ECHO, GET replies) are decoded with `replyCodec` and returned.
   */
  request<Req, Rep = never>(
    type: number,
    flags: number,
    codec: Codec<Req>,
    body: Req,
    options: RequestOptions & { replyCodec?: Codec<Rep> } = {},
  ): Rep[] {
    const seq = this.#send(type, NLM_F.REQUEST | NLM_F.ACK | flags, codec, body);
    return this.#answer(seq, type, options);
  }

  /**
   * request(), with the send on a worker thread when the transport can (sendInBackground): the kernel handles a
   * request inside the send call, and some take long (a device deletion waits ~15-20 ms); the event loop keeps
   * running meanwhile. Use it on a connection nothing else uses until it settles.
   */
  async requestInBackground<Req>(type: number, flags: number, codec: Codec<Req>, body: Req, options: RequestOptions = {}): Promise<void> {
    if (!this.#transport.sendInBackground) {
      this.request(type, flags, codec, body, options);
      return;
    }
    const seq = (this.#seq = (this.#seq + 1) >>> 0 || 1);
    const bytes = encodeMessage({ type, flags: NLM_F.REQUEST | NLM_F.ACK | flags, seq, pid: 0 }, codec, body, new Writer(512));
    await this.#transport.sendInBackground(bytes);
    this.#answer(seq, type, options); // the kernel queued its answer before the send returned
  }

  #answer<Rep>(seq: number, type: number, options: RequestOptions & { replyCodec?: Codec<Rep> }): Rep[] {
    const replies: Rep[] = [];
    for (;;) {
      const n = this.#transport.recv(this.#buf);
      for (const { header, payload } of frames(this.#buf, n)) {
        if (header.seq !== seq) continue; // a stale answer to an earlier, abandoned request
        if (header.type === NLMSG.ERROR) {
          const ack = decodeAck(header.flags, payload);
          if (ack.errno !== 0) throw this.#error(type, ack.errno, ack.extAck?.message, options.subject);
          return replies;
        }
        if (header.type === NLMSG.DONE) return replies;
        if (options.replyCodec) replies.push(options.replyCodec.decode(payload));
      }
    }
  }

  /**
   * A dump (NLM_F_DUMP): every message up to NLMSG_DONE, decoded. If the kernel flags the dump as inconsistent
   * (NLM_F_DUMP_INTR: the table changed while it was being read), the whole dump is restarted, at most
   * DUMP_ATTEMPTS times in all; then it fails with EINTR.
   */
  dump<Req, Rep>(type: number, codec: Codec<Req>, body: Req, replyCodec: Codec<Rep>, options: RequestOptions = {}): Rep[] {
    for (let attempt = 1; ; attempt++) {
      const { replies, interrupted } = this.#dumpOnce(type, codec, body, replyCodec, options);
      if (!interrupted) return replies;
      if (attempt >= DUMP_ATTEMPTS) {
        throw new NetlinkError({
          errno: EINTR,
          op: messageTypeName(type),
          subject: options.subject,
          reason: `dump interrupted by concurrent changes (NLM_F_DUMP_INTR) ${attempt} times in a row`,
        });
      }
    }
  }

  #dumpOnce<Req, Rep>(type: number, codec: Codec<Req>, body: Req, replyCodec: Codec<Rep>, options: RequestOptions) {
    const seq = this.#send(type, NLM_F.REQUEST | NLM_F.DUMP, codec, body);
    const replies: Rep[] = [];
    let interrupted = false;
    for (;;) {
      const n = this.#transport.recv(this.#buf);
      for (const { header, payload } of frames(this.#buf, n)) {
        if (header.seq !== seq) continue;
        if (header.flags & NLM_F.DUMP_INTR) interrupted = true;
        if (header.type === NLMSG.DONE) {
          const done = decodeDone(header.flags, payload);
          if (done.errno !== 0) throw this.#error(type, done.errno, done.extAck?.message, options.subject);
          return { replies, interrupted };
        }
        if (header.type === NLMSG.ERROR) {
          const ack = decodeAck(header.flags, payload);
          if (ack.errno !== 0) throw this.#error(type, ack.errno, ack.extAck?.message, options.subject);
          continue;
        }
        replies.push(replyCodec.decode(payload));
      }
    }
  }

  #send<Req>(type: number, flags: number, codec: Codec<Req>, body: Req): number {
    this.#seq = (this.#seq + 1) >>> 0 || 1;
    const bytes = encodeMessage({ type, flags, seq: this.#seq, pid: 0 }, codec, body, new Writer(512));
    this.#transport.send(bytes);
    return this.#seq;
  }

  #error(type: number, errno: number, extack: string | undefined, subject: string | undefined): NetlinkError {
    return new NetlinkError({ errno, op: messageTypeName(type), extack, subject });
  }

  close(): void {
    this.#transport.close();
  }
}
