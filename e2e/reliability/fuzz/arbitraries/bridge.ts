// bridge configs: a consistent "profile" (which bridge, which IPAM with which subnets) so that cases succeed often
// and share bridges the way containers on one host do, every bridge key of checklist 4.1 (including the ones the
// kernel here refuses: vlan filtering is not built in, so `vlan`/`vlanTrunk` must fail and roll back), the MAC
// from every source, then targeted mutations. host-local's data directory stays inside the world.
import * as fc from 'fast-check';
import { CNI_VERSIONS, foreignRuntimeConfig, hostileNetworkName, looseRecord, mac, prevResult, rarely, secrets, unknownKeys, wellFormedOrMutated } from './common.ts';
import { confineDataDir, type HostLocalWorld } from './host-local.ts';

export interface BridgeWorld extends HostLocalWorld {
  /** bridge names for this world (valid, random per run) */
  bridges: readonly [string, string, string];
}

/** `after:<step>` for bridge's fault hatch (CNI_TS_FAULT): ADD fails right after that step and must roll back. */
export const faultSteps = ['ensure-bridge', 'create-veth', 'attach-port', 'macspoofchk', 'ipam', 'configure-container', 'gateway', 'ipmasq', 'port-up', 'result'];

function ipamProfiles(w: BridgeWorld): fc.Arbitrary<{ bridge: string; ipam?: Record<string, unknown> }> {
  const [a, b, c] = w.bridges;
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.boolean().map((dual) => ({
        bridge: a,
        ipam: { type: 'host-local', dataDir: w.dataDir, ranges: [[{ subnet: '10.99.0.0/24' }], ...(dual ? [[{ subnet: 'fd99::/120' }]] : [])], routes: [{ dst: '0.0.0.0/0' }] },
      })),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom('10.10.0.5/24', '10.10.0.6/24').map((address) => ({
        bridge: b,
        ipam: { type: 'static', addresses: [{ address, gateway: '10.10.0.1' }, { address: 'fd10::5/64', gateway: 'fd10::1' }] },
      })),
    },
    { weight: 2, arbitrary: fc.constant({ bridge: c }) },
    { weight: 1, arbitrary: fc.constant({ bridge: c, ipam: {} }) },
    { weight: 1, arbitrary: fc.constant({ bridge: a, ipam: { type: 'no-such-ipam' } }) },
  );
}

export function cleanBridgeConfig(w: BridgeWorld): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      profile: ipamProfiles(w),
      cniVersion: fc.constantFrom(...CNI_VERSIONS),
      flags: looseRecord({
        isGateway: fc.boolean(),
        isDefaultGateway: fc.boolean(),
        forceAddress: fc.boolean(),
        hairpinMode: fc.boolean(),
        promiscMode: fc.constant(false),
        portIsolation: fc.boolean(),
        preserveDefaultVlan: fc.boolean(),
        mtu: fc.constantFrom(0, 1280, 1400, 1500, 9000),
        prevResult,
        dns: looseRecord({ nameservers: fc.constant(['10.99.0.53']), search: fc.constant(['fuzz.test']) }),
      }),
      masq: rarely(fc.record({ ipMasq: fc.constant(true), ipMasqBackend: fc.constantFrom('iptables', 'nftables', undefined) }, { requiredKeys: ['ipMasq'] }), 4),
      spoof: rarely(fc.constant({ macspoofchk: true }), 6),
      vlan: rarely(fc.oneof(fc.record({ vlan: fc.integer({ min: 1, max: 4094 }) }), fc.constant({ vlanTrunk: [{ id: 10 }, { minID: 20, maxID: 22 }] })), 15),
      l2down: rarely(fc.constant({ disableContainerInterface: true }), 20),
      // DAD on: ADD waits until the container's IPv6 addresses leave the tentative state (about 1-2 s each)
      dad: rarely(fc.constant({ enabledad: true }), 25),
      macFrom: rarely(fc.tuple(fc.constantFrom('runtimeConfig', 'args'), mac.map((m) => `02${m.slice(2)}`)), 5),
      runtimeConfig: rarely(looseRecord(foreignRuntimeConfig, { caseVariants: true }), 4),
      unknown: unknownKeys,
    })
    .map(({ profile, cniVersion, flags, masq, spoof, vlan, l2down, dad, macFrom, runtimeConfig, unknown }) => {
      const config: Record<string, unknown> = { ...unknown, cniVersion, name: w.network, type: 'bridge', bridge: profile.bridge, ...flags, ...masq, ...spoof, ...vlan, ...l2down, ...dad };
      if (profile.ipam) config.ipam = profile.ipam;
      if (runtimeConfig) config.runtimeConfig = runtimeConfig;
      if (macFrom?.[0] === 'runtimeConfig') config.runtimeConfig = { ...(runtimeConfig ?? {}), mac: macFrom[1] };
      if (macFrom?.[0] === 'args') config.args = { cni: { mac: macFrom[1] } };
      return config;
    });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function bridgeConfig(w: BridgeWorld): fc.Arbitrary<{ config: unknown; secrets: string[] }> {
  return fc
    .record({ config: wellFormedOrMutated(cleanBridgeConfig(w)), secrets: rarely(secrets, 4), name: rarely(hostileNetworkName, 15) })
    .map(({ config, secrets: s, name }) => {
      let c = config;
      if (isObject(c) && name !== undefined) c = { ...c, name };
      if (isObject(c) && s) c = { ...c, ...s.top, ...(isObject(c.ipam) ? { ipam: { ...c.ipam, ...s.nested } } : {}) };
      return { config: confineDataDir(c, w), secrets: s?.values ?? [] };
    });
}

/** Did the config ask for anything that writes firewall rules? (Then the rules are checked after the case.) */
export function touchesFirewall(config: unknown): boolean {
  return isObject(config) && Object.keys(config).some((k) => /^(ipmasq|macspoofchk)$/i.test(k));
}
