// Property-based tests of the result layer every ADD ends in: any well-formed 1.x result converts to every version
// as a document that version's schema accepts (or fails with a CniError where the version cannot express it),
// and what a version can express survives the round trip through parseResult. Plus CNI_ARGS: any string parses.
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCniArgs } from '../cni-args.ts';
import { isCniError } from '../errors.ts';
import { versions } from '../versions.ts';
import { convertResult } from './convert.ts';
import type { Result } from './model.ts';
import { parseResult } from './parse.ts';
import { resultSchema } from './schemas.ts';

const RUNS = Number(process.env.CNI_TS_FUZZ_RUNS ?? 300);
const cidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.nat(32)).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.nat(128)).map(([a, p]) => `${a}/${p}`),
);
const ip = fc.oneof(fc.ipV4(), fc.ipV6());
const result: fc.Arbitrary<Result> = fc.record(
  {
    interfaces: fc.array(fc.record({ name: fc.string({ minLength: 1 }), mac: fc.constantFrom('aa:bb:cc:dd:ee:ff', ''), sandbox: fc.string(), mtu: fc.nat(9000) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
    ips: fc.array(fc.record({ address: cidr, gateway: ip, interface: fc.nat(3) }, { requiredKeys: ['address'] }), { maxLength: 4 }),
    routes: fc.array(fc.record({ dst: cidr, gw: ip, mtu: fc.nat(9000), priority: fc.nat(), table: fc.nat(255), scope: fc.nat(255) }, { requiredKeys: ['dst'] }), { maxLength: 3 }),
    dns: fc.record({ nameservers: fc.array(ip, { maxLength: 2 }), domain: fc.string(), search: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('convertResult over generated results', () => {
  test.each(versions.all)('to %s: a valid document, or a CniError the version cannot avoid', (version) => {
    fc.assert(
      fc.property(result, (r) => {
        let json: Record<string, unknown>;
        try {
          json = convertResult(r, version);
        } catch (e) {
          // 0.1.0/0.2.0 hold one address per family and need at least one
          expect(isCniError(e) && ['0.1.0', '0.2.0'].includes(version)).toBe(true);
          return;
        }
        expect(json.cniVersion).toBe(version);
        expect(resultSchema(version).safeParse(json).success).toBe(true);
        const back = parseResult(JSON.parse(JSON.stringify(json)), version);
        // the addresses a version carries come back unchanged (0.1.0/0.2.0 carry one per family: see convert.test.ts)
        if (!['0.1.0', '0.2.0'].includes(version)) expect(back.ips?.map((i) => i.address) ?? []).toEqual(r.ips?.map((i) => i.address) ?? []);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('parseCniArgs over any string', () => {
  test('never throws; every key it reports is found again, case-insensitively', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const args = parseCniArgs(s);
        for (const [k, v] of args.entries()) {
          expect(k).not.toBe('');
          expect(args.get(k)).toBe(v);
          expect(args.has(k.toUpperCase()) && args.has(k.toLowerCase())).toBe(true);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
