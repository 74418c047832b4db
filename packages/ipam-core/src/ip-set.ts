// A set of addresses keyed by value, cheaper than formatting every candidate to text while scanning a range.
import type { Ip } from './ip.ts';

export class IpSet {
  readonly #v4 = new Set<bigint>();
  readonly #v6 = new Set<bigint>();

  constructor(ips: Iterable<Ip> = []) {
    for (const ip of ips) this.add(ip);
  }

  #of(ip: Ip): Set<bigint> {
    return ip.family === 4 ? this.#v4 : this.#v6;
  }

  add(ip: Ip): void {
    this.#of(ip).add(ip.value);
  }

  has(ip: Ip): boolean {
    return this.#of(ip).has(ip.value);
  }

  delete(ip: Ip): void {
    this.#of(ip).delete(ip.value);
  }

  get size(): number {
    return this.#v4.size + this.#v6.size;
  }
}
