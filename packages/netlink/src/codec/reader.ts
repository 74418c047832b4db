import { HOST_LITTLE_ENDIAN as LE } from './endian.ts';

/**
 * A bounds-checked cursor over exactly one slice of a buffer (no copies). Every read names what it was reading
 * when it runs out of bytes, so a malformed message says where it went wrong.
 */
export class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Absolute offset in `bytes` of the next read. */
  pos: number;
  /** Absolute offset in `bytes` where this reader's slice ends. */
  readonly end: number;

  /** `view` lets child readers share their parent's DataView (one per attribute would dominate decode time). */
  constructor(bytes: Uint8Array, start = 0, end = bytes.length, view?: DataView) {
    if (start < 0 || end > bytes.length || start > end) throw new RangeError(`Reader: bad slice ${start}..${end} of ${bytes.length}`);
    this.bytes = bytes;
    this.view = view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  #take(n: number, what: string): number {
    if (this.end - this.pos < n) {
      throw new Error(`netlink decode: ${what} needs ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(what = 'u8'): number {
    return this.view.getUint8(this.#take(1, what));
  }
  u16(what = 'u16'): number {
    return this.view.getUint16(this.#take(2, what), LE);
  }
  u32(what = 'u32'): number {
    return this.view.getUint32(this.#take(4, what), LE);
  }
  i32(what = 'i32'): number {
    return this.view.getInt32(this.#take(4, what), LE);
  }
  u64(what = 'u64'): bigint {
    return this.view.getBigUint64(this.#take(8, what), LE);
  }
  u16be(what = 'u16be'): number {
    return this.view.getUint16(this.#take(2, what), false);
  }
  u32be(what = 'u32be'): number {
    return this.view.getUint32(this.#take(4, what), false);
  }
  /** A view of the next `n` bytes (not a copy: copy it before the underlying buffer is reused). */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    const at = this.#take(n, what);
    return this.bytes.subarray(at, at + n);
  }
  skip(n: number, what = 'padding'): void {
    this.#take(n, what);
  }
  /** A child reader over the next `n` bytes; this reader moves past them. */
  sub(n: number, what = 'nested data'): Reader {
    const at = this.#take(n, what);
    return new Reader(this.bytes, at, at + n, this.view);
  }
  /** Moves to the next 4-byte boundary (relative to the buffer), or to the end if that comes first. */
  align4(): void {
    const aligned = this.pos + ((4 - (this.pos & 3)) & 3);
    this.pos = Math.min(aligned, this.end);
  }
  /** Throws unless every byte was consumed: a fixed-size value with a different length is not that value. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) throw new Error(`netlink decode: ${what} has ${this.end - this.pos} unexpected trailing bytes`);
  }
}
