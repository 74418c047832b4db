import { HOST_LITTLE_ENDIAN as LE } from './endian.ts';

/** Attribute header size (struct nlattr: u16 len, u16 type). */
export const NLA_HDRLEN = 4;
export const align4 = (n: number): number => (n + 3) & ~3;

/**
 * A growable, chainable byte writer. `attr(type, fn)` reserves the 4-byte attribute header, lets `fn` write the
 * payload (including nested attributes), then patches the length and pads to 4 bytes: no size is computed up front.
 */
export class Writer {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  constructor(initialSize = 256) {
    this.#buf = new Uint8Array(initialSize);
    this.#view = new DataView(this.#buf.buffer);
  }

  get length(): number {
    return this.#len;
  }

  // Callers must call #grow before reading #buf/#view: it may replace both.
  #grow(n: number): number {
    const at = this.#len;
    if (at + n > this.#buf.length) {
      const next = new Uint8Array(Math.max(this.#buf.length * 2, at + n));
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#len += n;
    return at;
  }

  u8(v: number): this {
    const at = this.#grow(1);
    this.#view.setUint8(at, v);
    return this;
  }
  u16(v: number): this {
    const at = this.#grow(2);
    this.#view.setUint16(at, v, LE);
    return this;
  }
  u32(v: number): this {
    const at = this.#grow(4);
    this.#view.setUint32(at, v, LE);
    return this;
  }
  i32(v: number): this {
    const at = this.#grow(4);
    this.#view.setInt32(at, v, LE);
    return this;
  }
  u64(v: bigint): this {
    const at = this.#grow(8);
    this.#view.setBigUint64(at, v, LE);
    return this;
  }
  u16be(v: number): this {
    const at = this.#grow(2);
    this.#view.setUint16(at, v, false);
    return this;
  }
  u32be(v: number): this {
    const at = this.#grow(4);
    this.#view.setUint32(at, v, false);
    return this;
  }
  bytes(b: Uint8Array): this {
    const at = this.#grow(b.length);
    this.#buf.set(b, at);
    return this;
  }
  zeros(n: number): this {
    const at = this.#grow(n);
    this.#buf.fill(0, at, this.#len);
    return this;
  }
  /** Zero bytes up to the next 4-byte boundary. */
  pad4(): this {
    return this.zeros(align4(this.#len) - this.#len);
  }

  /** Reserves `n` zero bytes and returns their offset, for fields patched later (e.g. nlmsg_len). */
  reserve(n: number): number {
    const at = this.#grow(n);
    this.#buf.fill(0, at, at + n);
    return at;
  }
  patchU16(at: number, v: number): this {
    this.#view.setUint16(at, v, LE);
    return this;
  }
  patchU32(at: number, v: number): this {
    this.#view.setUint32(at, v, LE);
    return this;
  }

  /** One attribute: header, payload written by `fn`, length patched, padded. `type` includes any NLA_F_* bits. */
  attr(type: number, fn: (w: this) => void): this {
    const at = this.reserve(NLA_HDRLEN);
    fn(this);
    this.patchU16(at, this.#len - at).patchU16(at + 2, type);
    return this.pad4();
  }

  /** A nested attribute: the same framing as attr(); set NLA_F_NESTED in `type` where the kernel expects it. */
  nest(type: number, fn: (w: this) => void): this {
    return this.attr(type, fn);
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
