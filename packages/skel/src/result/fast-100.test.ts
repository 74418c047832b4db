// The hand-written 1.x result check must agree with the zod schema it stands in for: whatever zod rejects, it
// rejects (leaving zod to report it); whatever it accepts, zod accepts with the same output, key order included.
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fastParse100 } from './fast-100.ts';
import { parseResult } from './parse.ts';
import { result100Schema } from './schemas.ts';

const RUNS = Number(process.env.CNI_TS_FUZZ_RUNS ?? 2000);

const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad });
const junk = fc.oneof(fc.jsonValue(), fc.constantFrom('', -1, 1.5, 2 ** 60, [], {}, 'x'));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const ip = often(fc.oneof(fc.ipV4(), fc.ipV6(), fc.constant('')), junk);
const cidr = often(fc.oneof(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })), fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 129 }))).map(([a, p]) => `${a}/${p}`), junk);
const int = often(fc.oneof(fc.integer({ min: -2, max: 4 }), fc.integer({ min: -3, max: 70000 })), junk);
const strs = often(fc.array(fc.string(), { maxLength: 3 }), junk);
const extra = fc.dictionary(fc.constantFrom('extra', 'version', '__proto__', 'Name'), fc.jsonValue(), { maxKeys: 2 });
const withExtra = <T extends object>(a: fc.Arbitrary<T>) => fc.tuple(a, extra).map(([o, e]) => ({ ...e, ...o }));

const iface = often(withExtra(fc.record({ name: often(fc.string(), junk), mac: opt(often(fc.string(), junk)), mtu: opt(int), sandbox: opt(fc.string()), socketPath: opt(fc.string()), pciID: opt(fc.string()) }, { requiredKeys: [] })), junk);
const ipc = often(withExtra(fc.record({ interface: opt(int), address: cidr, gateway: opt(ip) }, { requiredKeys: [] })), junk);
const route = often(withExtra(fc.record({ dst: cidr, gw: opt(ip), mtu: opt(int), advmss: opt(int), priority: opt(int), table: opt(int), scope: opt(int) }, { requiredKeys: [] })), junk);
const dns = often(fc.record({ nameservers: opt(strs), domain: opt(often(fc.string(), junk)), search: opt(strs), options: opt(strs) }, { requiredKeys: [] }), junk);
const result = withExtra(
  fc.record(
    {
      cniVersion: opt(often(fc.constantFrom('1.0.0', '1.1.0'), junk)),
      interfaces: opt(often(fc.array(iface, { maxLength: 3 }), junk)),
      ips: opt(often(fc.array(ipc, { maxLength: 3 }), junk)),
      routes: opt(often(fc.array(route, { maxLength: 3 }), junk)),
      dns: opt(dns),
    },
    { requiredKeys: [] },
  ),
);

describe('fastParse100', () => {
  test('agrees with result100Schema: same rejections, same output (key order included)', () => {
    let fastHits = 0;
    fc.assert(
      fc.property(result, (raw) => {
        const zod = result100Schema().safeParse(raw);
        const fast = fastParse100(raw as Record<string, unknown>);
        if (!zod.success) expect(fast).toBeUndefined();
        else {
          expect(fast).toBeDefined();
          expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
          fastHits++;
        }
      }),
      { numRuns: RUNS },
    );
    expect(fastHits).toBeGreaterThan(RUNS / 20); // the generator does reach valid results
  });

  test('a typical result (bridge + host-local) takes the fast path', () => {
    const raw = {
      cniVersion: '1.0.0',
      interfaces: [{ name: 'cbr0', mac: '0e:dd:2b:47:74:44' }, { name: 'veth1', mac: 'aa:91:f5:80:e6:73' }, { name: 'eth0', mac: 'c6:bc:80:11:22:33', sandbox: '/var/run/netns/x' }],
      ips: [{ interface: 2, address: '10.201.0.2/16', gateway: '10.201.0.1' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.201.0.1' }],
      dns: {},
    };
    expect(fastParse100(raw)).toEqual(result100Schema().parse(raw));
  });

  test('an invalid result still gets the zod message through parseResult', () => {
    expect(() => parseResult({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.1' }] })).toThrow(/ips\[0\]\.address/);
    expect(() => parseResult({ cniVersion: '1.1.0', interfaces: [{ mac: 'x' }] })).toThrow(/interfaces\[0\]\.name/);
  });
});
