import { parseCniArgs, zodToCniError } from '@cni-ts/skel';
import { describe, expect, test } from 'vitest';
import { BridgeConf, containerMac } from './config.ts';

const base = { cniVersion: '1.0.0', name: 'net', type: 'bridge' };
const parse = (extra: object) => BridgeConf.parse({ ...base, ...extra });
/** The CNI error msg skel would print for this config. */
function failure(extra: object): string {
  const r = BridgeConf.safeParse({ ...base, ...extra }, { reportInput: true }); // as skel's dispatcher parses
  if (r.success) throw new Error('expected the config to be rejected');
  return zodToCniError(r.error).msg;
}

describe('defaults (checklist 4.1)', () => {
  test('an empty bridge config', () => {
    const c = parse({});
    expect(c).toMatchObject({
      bridge: 'cni0', isGateway: false, isDefaultGateway: false, forceAddress: false, ipMasq: false, mtu: 0,
      hairpinMode: false, promiscMode: false, vlan: 0, vlans: [], hasTrunk: false, preserveDefaultVlan: false,
      macspoofchk: false, enabledad: false, disableContainerInterface: false, portIsolation: false,
      ipamType: undefined, mac: undefined,
    });
    expect(c.ipMasqBackend).toBeUndefined();
  });

  test('JSON null means "not set", as in Go', () => {
    const c = parse({ bridge: null, isGateway: null, vlan: null, mtu: null, vlanTrunk: null, ipMasqBackend: null });
    expect(c).toMatchObject({ bridge: 'cni0', isGateway: false, vlan: 0, mtu: 0, hasTrunk: false });
  });

  test('isDefaultGateway implies isGateway', () => {
    expect(parse({ isDefaultGateway: true })).toMatchObject({ isGateway: true, isDefaultGateway: true });
  });

  test('keys match case-insensitively (Go encoding/json), an exact spelling wins', () => {
    expect(parse({ IsGateway: true, Bridge: 'br9', HAIRPINMODE: true })).toMatchObject({ isGateway: true, bridge: 'br9', hairpinMode: true });
    expect(parse({ Bridge: 'a', bridge: 'b' }).bridge).toBe('b');
  });

  test('an empty ipam (or one without type) is L2 only', () => {
    expect(parse({ ipam: {} }).ipamType).toBeUndefined();
    expect(parse({ ipam: { type: '' } }).ipamType).toBeUndefined();
    expect(parse({ ipam: { type: 'host-local', subnet: '10.0.0.0/8' } }).ipamType).toBe('host-local');
  });

  test('mtu of 0 or less is the kernel default', () => {
    expect(parse({ mtu: -5 }).mtu).toBe(0);
    expect(parse({ mtu: 1400 }).mtu).toBe(1400);
  });

  test('unknown keys pass through', () => {
    expect((parse({ somethingElse: 1 }) as Record<string, unknown>).somethingElse).toBe(1);
  });
});

describe('validation messages (the reference texts, naming the field)', () => {
  test.each([
    [{ vlan: 5000 }, 'invalid config: vlan: invalid VLAN ID 5000 (must be between 0 and 4094)'],
    [{ vlan: -1 }, 'invalid config: vlan: invalid VLAN ID -1 (must be between 0 and 4094)'],
    [{ vlan: '3' }, 'invalid config: vlan: expected number, got string'],
    [{ mtu: 1.5 }, 'invalid config: mtu: expected int, got number'],
    [{ isGateway: 'true' }, 'invalid config: isGateway: expected boolean, got string'],
    [{ bridge: 5 }, 'invalid config: bridge: expected string, got number'],
    [{ bridge: 'a-very-long-bridge-name' }, 'invalid config: bridge: invalid interface name "a-very-long-bridge-name" (1-15 characters, no "/", ":" or spaces)'],
    [{ hairpinMode: true, promiscMode: true }, 'invalid config: hairpinMode: cannot set hairpin mode and promiscuous mode at the same time.'],
    [{ disableContainerInterface: true, ipam: { type: 'host-local' } }, 'invalid config: disableContainerInterface: cannot use IPAM when DisableContainerInterface flag is set'],
    [{ ipMasqBackend: 'ebtables' }, 'invalid config: ipMasqBackend: unknown ipmasq backend "ebtables"'],
    [{ vlanTrunk: [{ id: 0 }] }, 'invalid config: vlanTrunk: incorrect trunk id parameter'],
    [{ vlanTrunk: [{ minID: 5 }] }, 'invalid config: vlanTrunk: minID and maxID should be configured simultaneously, maxID is missing'],
    [{ vlanTrunk: [{ minID: 9, maxID: 5 }] }, 'invalid config: vlanTrunk: minID is greater than maxID in trunk parameter'],
    [{ runtimeConfig: { mac: 'zz' } }, 'invalid config: runtimeConfig.mac: invalid MAC address "zz"'],
    [{ args: { cni: { mac: 5 } } }, 'invalid config: args.cni.mac: expected string, got number'],
    [{ dns: 'x' }, 'invalid config: dns: expected object, got string'],
    [{ ipam: 'x' }, 'invalid config: ipam: expected object, got string'],
  ])('%j', (extra, msg) => {
    expect(failure(extra)).toBe(msg);
  });
});

describe('vlan and trunk', () => {
  test('trunk ids are deduplicated and sorted; keys case-insensitive', () => {
    const c = parse({ vlanTrunk: [{ id: 9 }, { MinId: 3, maxid: 5 }, { id: 4 }] });
    expect(c.vlans).toEqual([3, 4, 5, 9]);
    expect(c.hasTrunk).toBe(true);
  });

  test('an empty trunk still counts as configured (vlan_filtering), with no ids', () => {
    expect(parse({ vlanTrunk: [] })).toMatchObject({ vlans: [], hasTrunk: true });
  });

  test('vlan and trunk together are allowed (the trunk is tagged, vlan the native vlan)', () => {
    expect(parse({ vlan: 7, vlanTrunk: [{ id: 8 }] })).toMatchObject({ vlan: 7, vlans: [8] });
  });
});

describe('MAC precedence: runtimeConfig > args.cni.mac > CNI_ARGS MAC', () => {
  const rc = { runtimeConfig: { mac: '0a:00:00:00:00:01' } };
  const args = { args: { cni: { mac: '0A-00-00-00-00-02' } } };
  const env = parseCniArgs('IgnoreUnknown=1;MAC=0a:00:00:00:00:03;K8S_POD_NAME=x');

  test('all three: runtimeConfig wins', () => {
    expect(containerMac(parse({ ...rc, ...args }), env)).toBe('0a:00:00:00:00:01');
  });
  test('args.cni.mac over CNI_ARGS, normalized', () => {
    expect(containerMac(parse(args), env)).toBe('0a:00:00:00:00:02');
  });
  test('CNI_ARGS MAC last (key case-insensitive)', () => {
    expect(containerMac(parse({}), env)).toBe('0a:00:00:00:00:03');
    expect(containerMac(parse({}), parseCniArgs('mac=0a:00:00:00:00:04'))).toBe('0a:00:00:00:00:04');
  });
  test('an empty MAC counts as not set, as in Go', () => {
    expect(containerMac(parse({ runtimeConfig: { mac: '' }, ...args }), env)).toBe('0a:00:00:00:00:02');
    expect(containerMac(parse({}), parseCniArgs('MAC='))).toBeUndefined();
  });
  test('none: the kernel picks', () => {
    expect(containerMac(parse({}), parseCniArgs(undefined))).toBeUndefined();
  });
  test('runtimeConfig keys are case-insensitive (containerd sends Mac)', () => {
    expect(parse({ runtimeConfig: { Mac: '0a:00:00:00:00:05', portMappings: [] } }).mac).toBe('0a:00:00:00:00:05');
  });
  test('a bad CNI_ARGS MAC is code 4 naming CNI_ARGS', () => {
    expect(() => containerMac(parse({}), parseCniArgs('MAC=nope'))).toThrow(/CNI_ARGS MAC: invalid MAC address "nope"/);
  });
});
