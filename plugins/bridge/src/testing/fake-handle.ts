// A fake of the few netlink Handle operations the VLAN steps use, recording every request. The kernel on the
// development machine has no CONFIG_BRIDGE_VLAN_FILTERING, so these unit tests are what shows which VLAN
// requests the plugin makes; kernel tests show the kernel's refusal.
import { NetlinkError, type Handle, type Link } from '@cni-ts/netlink';

export interface FakeVlan {
  index: number;
  vid: number;
  pvid: boolean;
  untagged: boolean;
}

export function fakeHandle(init: { links?: Partial<Link>[]; vlans?: FakeVlan[] } = {}) {
  const calls: string[] = [];
  const links = new Map<string, Link>();
  let nextIndex = 10;
  const add = (l: Partial<Link> & { name: string }) => {
    const link = { index: nextIndex++, up: false, flags: 0, operState: 'down', promisc: false, message: {} as Link['message'], ...l } as Link;
    links.set(link.name, link);
    return link;
  };
  for (const l of init.links ?? []) add(l as Partial<Link> & { name: string });
  let vlans = [...(init.vlans ?? [])];
  const byRef = (ref: { index: number } | { name: string }) =>
    'name' in ref ? links.get(ref.name) : [...links.values()].find((l) => l.index === ref.index);
  const enodev = () => new NetlinkError({ errno: 19, op: 'RTM_GETLINK' });
  const handle = {
    link: {
      find: async (ref: { name: string } | { index: number }) => byRef(ref),
      get: async (ref: { name: string } | { index: number }) => byRef(ref) ?? Promise.reject(enodev()),
      add: async (spec: { kind: string; name: string; peer?: { name: string } }) => {
        calls.push(`link add ${spec.name} type ${spec.kind}${spec.peer ? ` peer ${spec.peer.name.replace(/[0-9a-f]{8}$/, 'XXXXXXXX')}` : ''}`);
        if (links.has(spec.name)) throw new NetlinkError({ errno: 17, op: 'RTM_NEWLINK' });
        const link = add({ name: spec.name, kind: spec.kind, mac: '0a:00:00:00:00:01' });
        if (spec.peer) add({ name: spec.peer.name, kind: spec.kind });
        return link;
      },
      set: async (ref: { index: number } | { name: string }, changes: object) => void calls.push(`link set ${byRef(ref)?.name} ${JSON.stringify(changes)}`),
      setUp: async (ref: { index: number } | { name: string }) => void calls.push(`link up ${byRef(ref)?.name}`),
      setBridgePort: async (ref: { index: number }, s: object) => void calls.push(`port ${byRef(ref)?.name} ${JSON.stringify(s)}`),
      delete: async (ref: { index: number } | { name: string }) => {
        calls.push(`link del ${byRef(ref)?.name}`);
        const l = byRef(ref);
        if (l) links.delete(l.name);
      },
    },
    sysctl: {
      get: async () => '0',
      set: async (key: string, value: string | number) => void calls.push(`sysctl ${key}=${value}`),
    },
    bridgeVlan: {
      list: async (f: { index?: number }) => vlans.filter((v) => f.index === undefined || v.index === f.index),
      add: async (s: FakeVlan) => {
        calls.push(`vlan add ${byRef(s)?.name} vid ${s.vid}${s.pvid ? ' pvid' : ''}${s.untagged ? ' untagged' : ''}`);
        vlans.push({ index: s.index, vid: s.vid, pvid: !!s.pvid, untagged: !!s.untagged });
      },
      delete: async (s: { index: number; vid: number }) => {
        calls.push(`vlan del ${byRef(s)?.name} vid ${s.vid}`);
        vlans = vlans.filter((v) => !(v.index === s.index && v.vid === s.vid));
      },
    },
  };
  return { handle: handle as unknown as Handle, calls, links, vlans: () => vlans };
}
