import { describe, expect, test } from 'vitest';
import { planGateways } from './gateways.ts';

const gw = { isGateway: true, isDefaultGateway: false };
const dgw = { isGateway: true, isDefaultGateway: true };

describe('planGateways (calcGateways)', () => {
  test('isGateway: gateway = first host, interface 2, no route', () => {
    const p = planGateways({ ips: [{ address: '10.1.2.3/16' }] }, gw);
    expect(p.result.ips).toEqual([{ address: '10.1.2.3/16', gateway: '10.1.0.1', interface: 2 }]);
    expect(p.result.routes).toBeUndefined();
    expect(p.gateways[4].map((g) => g.cidr)).toEqual(['10.1.0.1/16']);
    expect(p.gateways[6]).toEqual([]);
  });

  test('an IPAM gateway is kept', () => {
    const p = planGateways({ ips: [{ address: '10.1.2.3/24', gateway: '10.1.2.254' }] }, gw);
    expect(p.result.ips?.[0]?.gateway).toBe('10.1.2.254');
    expect(p.gateways[4].map((g) => g.cidr)).toEqual(['10.1.2.254/24']);
  });

  test('not a gateway: nothing computed', () => {
    const p = planGateways({ ips: [{ address: '10.1.2.3/24' }] }, { isGateway: false, isDefaultGateway: false });
    expect(p.result.ips).toEqual([{ address: '10.1.2.3/24', interface: 2 }]);
    expect(p.gateways[4]).toEqual([]);
  });

  test('isDefaultGateway: one default route per family, dual stack', () => {
    const p = planGateways({ ips: [{ address: '10.1.2.3/24' }, { address: '10.1.3.3/24' }, { address: 'fd00::5/64' }] }, dgw);
    expect(p.result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.1.2.1' }, { dst: '::/0', gw: 'fd00::1' }]);
    expect(p.gateways[4].map((g) => g.cidr)).toEqual(['10.1.2.1/24', '10.1.3.1/24']);
    expect(p.gateways[6].map((g) => g.cidr)).toEqual(['fd00::1/64']);
  });

  test('isDefaultGateway: an IPAM default route with a gateway suppresses ours; one without does not', () => {
    const withGw = planGateways({ ips: [{ address: '10.1.2.3/24' }], routes: [{ dst: '0.0.0.0/0', gw: '10.1.2.9' }] }, dgw);
    expect(withGw.result.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.1.2.9' }]);
    const noGw = planGateways({ ips: [{ address: '10.1.2.3/24' }], routes: [{ dst: '0.0.0.0/0' }] }, dgw);
    expect(noGw.result.routes).toEqual([{ dst: '0.0.0.0/0' }, { dst: '0.0.0.0/0', gw: '10.1.2.1' }]);
  });

  test('gateway of a /31 and of an IPv6 /127 is the next address', () => {
    const p = planGateways({ ips: [{ address: '10.0.0.255/23' }, { address: 'fd00::ffff/112' }] }, gw);
    expect(p.result.ips?.map((i) => i.gateway)).toEqual(['10.0.0.1', 'fd00::1']);
  });
});
