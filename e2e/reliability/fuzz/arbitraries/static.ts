// static configs: addresses (with and without gateways, both families, several per family), routes and dns, plus
// the requested-address sources (args.cni.ips, runtimeConfig.ips, CNI_ARGS IP/GATEWAY); then targeted mutations.
import * as fc from 'fast-check';
import { CNI_VERSIONS, foreignRuntimeConfig, hostileNetworkName, looseRecord, prevResult, rarely, secrets, unknownKeys, wellFormedOrMutated } from './common.ts';

const address = fc.oneof(
  fc.record({ address: fc.constantFrom('10.10.0.5/24', '10.10.0.6/24', '192.168.7.1/16', '10.11.0.1/32'), gateway: fc.constantFrom('10.10.0.1', '192.168.0.1') }, { requiredKeys: ['address'] }),
  fc.record({ address: fc.constantFrom('fd10::5/64', 'fd11::1/128', '2001:db8::5/64'), gateway: fc.constantFrom('fd10::1', 'fe80::1') }, { requiredKeys: ['address'] }),
);

export const staticCidr = fc.constantFrom('10.10.0.7/24', '10.12.0.2/16', 'fd10::7/64');

export function cleanStaticConfig(network: string): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      base: looseRecord({ type: fc.constant('static'), prevResult, runtimeConfig: looseRecord(foreignRuntimeConfig, { caseVariants: true }) }),
      cniVersion: fc.constantFrom(...CNI_VERSIONS),
      ipam: fc.record(
        {
          type: fc.constant('static'),
          addresses: fc.array(address, { maxLength: 3 }),
          routes: fc.array(fc.record({ dst: fc.constantFrom('0.0.0.0/0', '10.20.0.0/16', '::/0'), gw: fc.constantFrom('10.10.0.1', 'fd10::1') }, { requiredKeys: ['dst'] }), { maxLength: 2 }),
          dns: looseRecord({ nameservers: fc.array(fc.constantFrom('10.10.0.53', 'fd10::53'), { maxLength: 2 }), domain: fc.constant('fuzz.test'), search: fc.constant(['a.test']), options: fc.constant(['ndots:3']) }),
        },
        { requiredKeys: ['type'] },
      ),
      runtimeIps: rarely(fc.array(staticCidr, { minLength: 1, maxLength: 2 }), 6),
      argsIps: rarely(fc.array(staticCidr, { minLength: 1, maxLength: 2 }), 8),
      unknown: unknownKeys,
    })
    .map(({ base, cniVersion, ipam, runtimeIps, argsIps, unknown }) => ({
      ...unknown,
      ...base,
      ...(runtimeIps ? { runtimeConfig: { ...(base.runtimeConfig as object | undefined), ips: runtimeIps } } : {}),
      ...(argsIps ? { args: { cni: { ips: argsIps } } } : {}),
      cniVersion,
      name: network,
      ipam,
    }));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function staticConfig(network: string): fc.Arbitrary<{ config: unknown; secrets: string[] }> {
  return fc
    .record({ config: wellFormedOrMutated(cleanStaticConfig(network)), secrets: rarely(secrets, 3), name: rarely(hostileNetworkName, 12) })
    .map(({ config, secrets: s, name }) => {
      let c = config;
      if (isObject(c) && name !== undefined) c = { ...c, name };
      if (isObject(c) && s) c = { ...c, ...s.top, ...(isObject(c.ipam) ? { ipam: { ...c.ipam, ...s.nested } } : {}) };
      return { config: c, secrets: s?.values ?? [] };
    });
}
