import { describe, expect, test } from 'vitest';
import { CniError } from '../errors.ts';
import { parseResult } from './parse.ts';
import { resultSchema } from './schemas.ts';
import { versions } from '../versions.ts';

function failure(fn: () => unknown): CniError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CniError) return e;
    throw e;
  }
  throw new Error('expected a CniError');
}

describe('parseResult', () => {
  test('a 0.2.0 result becomes the 1.x model', () => {
    const r = parseResult({ cniVersion: '0.2.0', ip4: { ip: '10.0.0.2/24', gateway: '10.0.0.1', routes: [{ dst: '0.0.0.0/0' }] }, dns: {} });
    expect(r).toEqual({ cniVersion: '0.2.0', ips: [{ address: '10.0.0.2/24', gateway: '10.0.0.1' }], routes: [{ dst: '0.0.0.0/0' }], dns: {} });
  });
  test('a 0.4.0 result loses `version` in ips', () => {
    const r = parseResult({ cniVersion: '0.4.0', ips: [{ version: '4', interface: 0, address: '10.0.0.2/24' }] });
    expect(r.ips).toEqual([{ interface: 0, address: '10.0.0.2/24' }]);
  });
  test('a version-less result takes the assumed version (Go: prevResult takes the config version)', () => {
    expect(parseResult({ ip4: { ip: '10.0.0.2/24' } }, '0.2.0')).toMatchObject({ cniVersion: '0.2.0', ips: [{ address: '10.0.0.2/24' }] });
    expect(parseResult({ ips: [{ address: '10.0.0.2/24' }] }, '1.0.0')).toMatchObject({ cniVersion: '1.0.0' });
  });
  test('a version-less result with nothing assumed is read by its shape', () => {
    expect(parseResult({ ip4: { ip: '10.0.0.2/24' } })).toMatchObject({ cniVersion: '0.2.0' });
    expect(parseResult({ ips: [{ address: '10.0.0.2/24' }] })).toMatchObject({ cniVersion: '1.1.0' });
  });
  test('its own cniVersion wins over the assumed one', () => {
    expect(parseResult({ cniVersion: '0.4.0', ips: [{ version: '4', address: '10.0.0.2/24' }] }, '1.0.0').cniVersion).toBe('0.4.0');
  });
  test('an unknown version is a decoding failure', () => {
    const e = failure(() => parseResult({ cniVersion: '9.9.9' }));
    expect([e.code, e.msg]).toEqual([6, 'unsupported CNI result version "9.9.9"']);
  });
  test('a bad field is named with its path', () => {
    const e = failure(() => parseResult({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }, { address: '10.0.0.300/24' }] }));
    expect(e.code).toBe(6);
    expect(e.msg).toBe('invalid result: ips[1].address: expected an address in CIDR form, e.g. "10.1.0.5/16"');
    const r = failure(() => parseResult({ cniVersion: '1.1.0', routes: [{ dst: '0.0.0.0/0', mtu: 'big' }] }));
    expect(r.msg).toBe('invalid result: routes[0].mtu: expected number, got string');
  });
  test('not an object', () => {
    expect(failure(() => parseResult([])).msg).toBe('invalid result: expected a JSON object');
  });
  test('null means unset and "" gateways mean none, as Go decodes them; unknown keys are ignored', () => {
    const r = parseResult({ cniVersion: '1.0.0', interfaces: null, ips: [{ address: '10.0.0.2/24', gateway: '' }], extra: 1, dns: null });
    expect(r).toEqual({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }] });
  });
  test('interface indexes must be non-negative integers', () => {
    expect(failure(() => parseResult({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24', interface: -1 }] })).msg).toMatch(
      /^invalid result: ips\[0\]\.interface: /,
    );
  });
});

describe('resultSchema', () => {
  test('there is a schema for each of the 7 versions, and each accepts its own shape', () => {
    const ok = { '020': { ip4: { ip: '10.0.0.2/24' } }, other: { ips: [{ address: '10.0.0.2/24' }] } };
    for (const v of versions.all) {
      const sample = v < '0.3.0' ? ok['020'] : ok.other;
      expect(resultSchema(v).safeParse({ cniVersion: v, ...sample }).success).toBe(true);
    }
  });
});
