// Conversion between every pair of the 7 spec versions (table-driven), and byte-for-byte agreement with the
// recorded reference output (../shared/reference-results/add-*.json).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { isCniError } from '../errors.ts';
import { type CniVersion, versions } from '../versions.ts';
import { convertResult, formatResult } from './convert.ts';
import type { Result } from './model.ts';
import { parseResult } from './parse.ts';

const dns = { nameservers: ['10.1.0.1'], domain: 'example.test', search: ['example.test'], options: ['ndots:2'] };

// The same rich result written by hand in each shape, keys in Go's struct order.
// 1.x: everything (two IPv4 addresses, one IPv6, 1.1.0 interface and route fields).
const full100 = {
  interfaces: [
    { name: 'cni0', mac: '0a:58:0a:01:00:01', mtu: 1500 },
    { name: 'veth1', mac: '0a:58:0a:01:00:02' },
    { name: 'eth0', mac: '0a:58:0a:01:00:05', sandbox: '/var/run/netns/c1', socketPath: '/run/vhost.sock', pciID: '0000:00:01.0' },
  ],
  ips: [
    { interface: 2, address: '10.1.0.5/16', gateway: '10.1.0.1' },
    { interface: 2, address: '10.1.0.6/16' },
    { interface: 2, address: '2001:db8::5/64', gateway: '2001:db8::1' },
  ],
  routes: [
    { dst: '0.0.0.0/0', gw: '10.1.0.1', mtu: 1400, advmss: 1360, priority: 10, table: 100, scope: 0 },
    { dst: '::/0', gw: '2001:db8::1' },
    { dst: '192.168.0.0/16' },
  ],
  dns,
};
// 0.3.x/0.4.0: `version` in ips, interfaces without the 1.1.0 fields; routes keep every field.
const full040 = {
  interfaces: [
    { name: 'cni0', mac: '0a:58:0a:01:00:01' },
    { name: 'veth1', mac: '0a:58:0a:01:00:02' },
    { name: 'eth0', mac: '0a:58:0a:01:00:05', sandbox: '/var/run/netns/c1' },
  ],
  ips: [
    { version: '4', interface: 2, address: '10.1.0.5/16', gateway: '10.1.0.1' },
    { version: '4', interface: 2, address: '10.1.0.6/16' },
    { version: '6', interface: 2, address: '2001:db8::5/64', gateway: '2001:db8::1' },
  ],
  routes: full100.routes,
  dns,
};
// 1.x after passing through 0.3.x/0.4.0: the 1.1.0 interface fields are gone.
const via040As100 = { ...full100, interfaces: full040.interfaces, ips: full100.ips };
// 0.1.0/0.2.0: the first address of each family, routes by destination family, only dst and gw.
const full020 = {
  ip4: { ip: '10.1.0.5/16', gateway: '10.1.0.1', routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }, { dst: '192.168.0.0/16' }] },
  ip6: { ip: '2001:db8::5/64', gateway: '2001:db8::1', routes: [{ dst: '::/0', gw: '2001:db8::1' }] },
  dns,
};
// Up from 0.1.0/0.2.0: ip4 then ip6 become ips; ip4's routes then ip6's become routes.
const via020As100 = {
  ips: [
    { address: '10.1.0.5/16', gateway: '10.1.0.1' },
    { address: '2001:db8::5/64', gateway: '2001:db8::1' },
  ],
  routes: [{ dst: '0.0.0.0/0', gw: '10.1.0.1' }, { dst: '192.168.0.0/16' }, { dst: '::/0', gw: '2001:db8::1' }],
  dns,
};
const via020As040 = {
  ips: [
    { version: '4', address: '10.1.0.5/16', gateway: '10.1.0.1' },
    { version: '6', address: '2001:db8::5/64', gateway: '2001:db8::1' },
  ],
  routes: via020As100.routes,
  dns,
};

type Family = '020' | '040' | '100';
const family = (v: CniVersion): Family => (v < '0.3.0' ? '020' : v < '1.0.0' ? '040' : '100');
const source: Record<Family, object> = { '020': full020, '040': full040, '100': full100 };
const expected: Record<Family, Record<Family, object>> = {
  '100': { '100': full100, '040': full040, '020': full020 },
  '040': { '100': via040As100, '040': full040, '020': full020 },
  '020': { '100': via020As100, '040': via020As040, '020': full020 },
};
const withVersion = (v: string, o: object) => ({ cniVersion: v, ...o });

describe('every pair of versions converts with the reference rules', () => {
  const pairs = versions.all.flatMap((from) => versions.all.map((to) => [from, to] as const));
  test.each(pairs)('%s → %s', (from, to) => {
    const model = parseResult(withVersion(from, source[family(from)]));
    const out = convertResult(model, to);
    const want = withVersion(to, expected[family(from)][family(to)]);
    expect(out).toEqual(want);
    // Same bytes, so also the same key order (Go's struct order).
    expect(JSON.stringify(out)).toBe(JSON.stringify(want));
  });
  test('7 × 7 pairs', () => expect(pairs).toHaveLength(49));
});

describe('what the reference loses or refuses', () => {
  const l2only: Result = { interfaces: [{ name: 'cni0' }, { name: 'eth0', sandbox: '/var/run/netns/x' }] };
  test.each(['0.1.0', '0.2.0'] as const)('an L2-only result cannot become %s', (v) => {
    let err: unknown;
    try {
      convertResult(l2only, v);
    } catch (e) {
      err = e;
    }
    expect(isCniError(err) && err.msg).toBe('cannot convert: no valid IP addresses');
    expect(isCniError(err) && err.code).toBe(999);
  });
  test.each(['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const)('an L2-only result is fine for %s', (v) => {
    expect(convertResult(l2only, v)).toMatchObject({ cniVersion: v, interfaces: [{ name: 'cni0' }, { name: 'eth0' }] });
  });
  test('routes of a family without an address are dropped going to 0.2.0', () => {
    const r: Result = { ips: [{ address: '2001:db8::5/64' }], routes: [{ dst: '0.0.0.0/0', gw: '10.0.0.1' }, { dst: '::/0' }] };
    expect(convertResult(r, '0.2.0')).toEqual({ cniVersion: '0.2.0', ip6: { ip: '2001:db8::5/64', routes: [{ dst: '::/0' }] }, dns: {} });
  });
  test('0.x results and 1.x results always carry "dns", as the reference prints it', () => {
    for (const v of versions.all) expect(convertResult({ ips: [{ address: '10.0.0.2/24' }] }, v)).toHaveProperty('dns', {});
  });
  test('omitempty: empty strings, zero numbers and empty lists are left out; table and scope 0 are kept', () => {
    const r: Result = {
      interfaces: [{ name: 'eth0', mac: '', mtu: 0, sandbox: '' }],
      ips: [{ address: '10.0.0.2/24', gateway: '', interface: 0 }],
      routes: [{ dst: '0.0.0.0/0', gw: '', mtu: 0, advmss: 0, priority: 0, table: 0, scope: 0 }],
      dns: { nameservers: [], domain: '', search: [], options: [] },
    };
    expect(convertResult(r, '1.1.0')).toEqual({
      cniVersion: '1.1.0',
      interfaces: [{ name: 'eth0' }],
      ips: [{ interface: 0, address: '10.0.0.2/24' }],
      routes: [{ dst: '0.0.0.0/0', table: 0, scope: 0 }],
      dns: {},
    });
    expect(convertResult({ interfaces: [], ips: [], routes: [] }, '1.0.0')).toEqual({ cniVersion: '1.0.0', dns: {} });
  });
  test('an IPv4-mapped IPv6 address counts as IPv4, as Go\'s To4() does', () => {
    expect(convertResult({ ips: [{ address: '::ffff:10.0.0.2/120' }] }, '0.4.0')).toMatchObject({ ips: [{ version: '4' }] });
  });
});

describe('byte-for-byte agreement with the recorded reference output', () => {
  const dir = new URL('../../test/reference/', import.meta.url);
  const recorded = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;
  const raw = (v: string) => readFileSync(new URL(`add-${v}.json`, dir), 'utf8');
  // MACs, veth names and netns tags are random per recording.
  const normalize = (s: string) =>
    s.replace(/"([0-9a-f]{2}:){5}[0-9a-f]{2}"/g, '"MAC"').replace(/"veth[0-9a-f]{8}"/g, '"VETH"').replace(/cb-3d0769-v\d+/g, 'NETNS');

  test.each(recorded)('add-%s.json parses and prints back to the same bytes', (v) => {
    expect(formatResult(parseResult(JSON.parse(raw(v))), v)).toBe(raw(v));
  });
  test.each(recorded)('the 1.0.0 result converted to %s prints as the reference printed that version', (v) => {
    const model = parseResult(JSON.parse(raw('1.0.0')));
    expect(normalize(formatResult(model, v))).toBe(normalize(raw(v)));
  });
  test('a result without trailing newline and with 4-space indent', () => {
    const out = formatResult(parseResult(JSON.parse(raw('0.2.0'))), '0.2.0');
    expect(out.endsWith('}')).toBe(true);
    expect(out.split('\n')[1]).toBe('    "cniVersion": "0.2.0",');
  });
});
