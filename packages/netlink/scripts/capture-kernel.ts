// Captures real kernel messages as golden fixtures (src/__fixtures__/*.hex): link, AF_BRIDGE link (bridge port,
// VLAN dump), address v4/v6 (incl. tentative and DAD-failed), route v4/v6 (metrics, table, priority), neighbour,
// and an error ack with extended-ack text. State is set up with iproute2 in throwaway namespaces; the messages are
// read through this package's own socket. Run as root: `node scripts/run-ts.mjs scripts/capture-kernel.ts`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { NLM_F, RTM } from '../src/message/constants.ts';
import { encodeMessage, frames } from '../src/message/header.ts';
import { addressMessageBody } from '../src/route/address.ts';
import { RTEXT_FILTER } from '../src/route/bridge-af-spec.ts';
import { linkMessageBody, type LinkMessage } from '../src/route/link.ts';
import { neighbourMessageBody } from '../src/route/neighbour.ts';
import { routeMessageBody } from '../src/route/route.ts';
import type { Codec } from '../src/codec/codec.ts';
import { warmThreadpool, withNetns } from '../src/sys/netns.ts';
import { NetlinkSocket } from '../src/transport/netlink-socket.ts';

const sfx = process.pid.toString(36);
const A = `nlcap-ka-${sfx}`;
const B = `nlcap-kb-${sfx}`;
const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
const inA = (...args: string[]): string => ip('-n', A, ...args);
const inB = (...args: string[]): string => ip('-n', B, ...args);
// Run from the package directory (run-ts.mjs bundles to CJS, where import.meta is empty).
const fixtures = new URL('src/__fixtures__/', `file://${process.cwd()}/`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function save(name: string, description: string, producedBy: string, bytes: Uint8Array): void {
  const hex = Buffer.from(bytes).toString('hex').match(/.{1,32}/g)!.join('\n');
  writeFileSync(new URL(name, fixtures), `# ${description}\n# produced by: ${producedBy}\n${hex}\n`);
  process.stdout.write(`${name}: ${bytes.length} bytes\n`);
}

let seq = 1000;
/** Sends one request and returns every reply message's bytes (header included) until DONE or an ack. */
function exchange<T>(sock: NetlinkSocket, type: number, flags: number, codec: Codec<T>, body: T): Uint8Array[] {
  sock.send(encodeMessage({ type, flags: NLM_F.REQUEST | flags, seq: ++seq, pid: 0 }, codec, body));
  const buf = new Uint8Array(65536);
  const out: Uint8Array[] = [];
  for (;;) {
    const n = sock.recv(buf);
    for (const { header, payload } of frames(buf, n)) {
      out.push(buf.slice(payload.pos - 16, payload.end));
      if (header.type === 2 || header.type === 3) return out; // NLMSG_ERROR, NLMSG_DONE
    }
  }
}

const decode = <T>(codec: Codec<T>, msg: Uint8Array): T => {
  const [f] = [...frames(msg)];
  return codec.decode(f!.payload);
};
const emptyLink = (family: number, attrs: LinkMessage['attrs'] = {}): LinkMessage => ({ family, linkType: 0, index: 0, flags: 0, change: 0, attrs });

async function main(): Promise<void> {
  await warmThreadpool();
  ip('netns', 'add', A);
  ip('netns', 'add', B);
  try {
    inA('link', 'set', 'lo', 'up');
    inA('link', 'add', 'br0', 'mtu', '1400', 'type', 'bridge');
    inA('link', 'add', 'vh', 'type', 'veth', 'peer', 'name', 'eth0', 'address', '02:00:00:00:00:01', 'netns', B);
    inA('link', 'set', 'vh', 'master', 'br0');
    ip('-n', A, 'link', 'set', 'br0', 'address', '02:00:00:00:00:aa');
    execFileSync('bridge', ['-n', A, 'link', 'set', 'dev', 'vh', 'hairpin', 'on', 'isolated', 'on']);
    inA('link', 'set', 'br0', 'up');
    inA('link', 'set', 'vh', 'up');
    inB('link', 'set', 'eth0', 'up');
    inA('addr', 'add', '10.1.0.1/24', 'brd', '+', 'dev', 'br0');
    inA('addr', 'add', 'fd00::1/64', 'dev', 'br0', 'nodad');
    inA('addr', 'add', 'fd00::5/64', 'dev', 'br0', 'nodad');
    inA('route', 'add', '10.2.0.0/16', 'via', '10.1.0.2', 'dev', 'br0', 'metric', '10', 'mtu', '1300', 'advmss', '1200');
    inA('route', 'add', '10.3.0.0/16', 'dev', 'br0', 'table', '1000', 'scope', 'link');
    inA('route', 'add', 'default', 'via', '10.1.0.2', 'dev', 'br0');
    inA('route', 'add', 'fd01::/64', 'via', 'fd00::2', 'dev', 'br0', 'metric', '20', 'mtu', '1280');
    inA('route', 'add', 'fd02::/64', 'via', 'fd00::2', 'dev', 'br0');
    inA('route', 'append', 'fd02::/64', 'via', 'fd00::3', 'dev', 'br0');
    inA('neigh', 'add', '10.1.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'br0', 'nud', 'permanent');
    inA('neigh', 'add', 'fd00::9', 'lladdr', '02:00:00:00:00:19', 'dev', 'br0', 'nud', 'permanent');

    const sa = withNetns(`/var/run/netns/${A}`, () => NetlinkSocket.open());
    const sb = withNetns(`/var/run/netns/${B}`, () => NetlinkSocket.open());

    // B: one address that stays tentative (DAD running) and one that collides with fd00::5 on br0.
    inB('addr', 'add', 'fd00::2/64', 'dev', 'eth0');
    const tentative = exchange(sb, RTM.GETADDR, NLM_F.DUMP, addressMessageBody, { family: 10, prefixLen: 0, flags: 0, scope: 0, index: 0, attrs: {} })
      .find((m) => m.length > 20 && decode(addressMessageBody, m).attrs.address?.toString() === 'fd00::2');
    save('addr-ipv6-tentative.hex', 'RTM_NEWADDR fd00::2/64 on eth0 right after adding it: IFA_F_TENTATIVE', 'ip -n B addr add fd00::2/64 dev eth0; RTM_GETADDR dump (AF_INET6)', tentative!);
    inB('addr', 'add', 'fd00::5/64', 'dev', 'eth0');
    await sleep(2500);

    const links = exchange(sa, RTM.GETLINK, NLM_F.DUMP, linkMessageBody, emptyLink(0));
    const byName = (msgs: Uint8Array[], name: string) => msgs.find((m) => m.length > 20 && decode(linkMessageBody, m).attrs.ifName === name)!;
    save('link-lo.hex', 'RTM_NEWLINK lo (no IFLA_LINKINFO)', 'RTM_GETLINK dump in a fresh namespace', byName(links, 'lo'));
    save('link-bridge.hex', 'RTM_NEWLINK bridge br0 (created with mtu 1400; the kernel re-tuned it to 1500 when port vh joined), up, IFLA_INFO_DATA (IFLA_BR_*)', 'ip link add br0 mtu 1400 type bridge; RTM_GETLINK dump', byName(links, 'br0'));
    save('link-veth-bridge-port.hex', 'RTM_NEWLINK veth vh: port of br0, hairpin+isolated (IFLA_INFO_SLAVE_DATA), peer in another namespace', 'ip link add vh type veth peer name eth0 netns B; ip link set vh master br0; bridge link set dev vh hairpin on isolated on; RTM_GETLINK dump', byName(links, 'vh'));
    const linksB = exchange(sb, RTM.GETLINK, NLM_F.DUMP, linkMessageBody, emptyLink(0));
    save('link-veth-peer.hex', 'RTM_NEWLINK veth eth0 created in this namespace as a peer (IFLA_LINK + IFLA_LINK_NETNSID), MAC 02:00:00:00:00:01', 'ip -n A link add vh type veth peer name eth0 address 02:00:00:00:00:01 netns B; RTM_GETLINK dump in B', byName(linksB, 'eth0'));

    const brLinks = exchange(sa, RTM.GETLINK, NLM_F.DUMP, linkMessageBody, emptyLink(7, { extMask: RTEXT_FILTER.BRVLAN }));
    save('bridge-af-port.hex', 'AF_BRIDGE RTM_NEWLINK for port vh (IFLA_PROTINFO nested bridge-port attributes, IFLA_AF_SPEC)', 'RTM_GETLINK dump, ifi_family AF_BRIDGE, IFLA_EXT_MASK RTEXT_FILTER_BRVLAN', byName(brLinks, 'vh'));
    const brSelf = brLinks.find((m) => m.length > 20 && decode(linkMessageBody, m).attrs.ifName === 'br0');
    if (brSelf) save('bridge-af-master.hex', 'AF_BRIDGE RTM_NEWLINK for the bridge br0 itself', 'RTM_GETLINK dump, ifi_family AF_BRIDGE, IFLA_EXT_MASK RTEXT_FILTER_BRVLAN', brSelf);

    const addrs = exchange(sa, RTM.GETADDR, NLM_F.DUMP, addressMessageBody, { family: 0, prefixLen: 0, flags: 0, scope: 0, index: 0, attrs: {} });
    const addrOf = (msgs: Uint8Array[], text: string) => msgs.find((m) => m.length > 20 && decode(addressMessageBody, m).attrs.address?.toString() === text)!;
    save('addr-ipv4.hex', 'RTM_NEWADDR 10.1.0.1/24 brd 10.1.0.255 on br0 (IFA_LOCAL, IFA_BROADCAST, IFA_LABEL, IFA_FLAGS)', 'ip addr add 10.1.0.1/24 brd + dev br0; RTM_GETADDR dump', addrOf(addrs, '10.1.0.1'));
    save('addr-ipv6.hex', 'RTM_NEWADDR fd00::1/64 nodad on br0 (permanent)', 'ip addr add fd00::1/64 dev br0 nodad; RTM_GETADDR dump', addrOf(addrs, 'fd00::1'));
    const addrsB = exchange(sb, RTM.GETADDR, NLM_F.DUMP, addressMessageBody, { family: 10, prefixLen: 0, flags: 0, scope: 0, index: 0, attrs: {} });
    save('addr-ipv6-dadfailed.hex', 'RTM_NEWADDR fd00::5/64 on eth0 after DAD found fd00::5 on the bridge: IFA_F_DADFAILED', 'ip -n A addr add fd00::5/64 dev br0 nodad; ip -n B addr add fd00::5/64 dev eth0; wait 2.5 s; RTM_GETADDR dump in B', addrOf(addrsB, 'fd00::5'));

    const routes = exchange(sa, RTM.GETROUTE, NLM_F.DUMP, routeMessageBody, { family: 0, dstLen: 0, srcLen: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0, attrs: {} });
    const routeTo = (dst: string | undefined, family: number) => routes.find((m) => {
      if (m.length <= 20) return false;
      const r = decode(routeMessageBody, m);
      return r.family === family && r.attrs.dst?.toString() === dst && (dst !== undefined || r.table === 254);
    })!;
    save('route-ipv4.hex', 'RTM_NEWROUTE 10.2.0.0/16 via 10.1.0.2 dev br0 metric 10 mtu 1300 advmss 1200 (RTA_METRICS)', 'ip route add 10.2.0.0/16 via 10.1.0.2 dev br0 metric 10 mtu 1300 advmss 1200; RTM_GETROUTE dump', routeTo('10.2.0.0', 2));
    save('route-ipv4-table.hex', 'RTM_NEWROUTE 10.3.0.0/16 dev br0 table 1000 scope link (RTA_TABLE, rtm_table = RT_TABLE_COMPAT)', 'ip route add 10.3.0.0/16 dev br0 table 1000 scope link; RTM_GETROUTE dump', routeTo('10.3.0.0', 2));
    save('route-ipv4-default.hex', 'RTM_NEWROUTE default via 10.1.0.2 dev br0', 'ip route add default via 10.1.0.2 dev br0; RTM_GETROUTE dump', routeTo(undefined, 2));
    save('route-ipv6.hex', 'RTM_NEWROUTE fd01::/64 via fd00::2 dev br0 metric 20 mtu 1280', 'ip route add fd01::/64 via fd00::2 dev br0 metric 20 mtu 1280; RTM_GETROUTE dump', routeTo('fd01::', 10));
    save('route-ipv6-multipath.hex', 'RTM_NEWROUTE fd02::/64 with two next hops (RTA_MULTIPATH), made by route append', 'ip route add fd02::/64 via fd00::2 dev br0; ip route append fd02::/64 via fd00::3 dev br0; RTM_GETROUTE dump', routeTo('fd02::', 10));

    const neighs = exchange(sa, RTM.GETNEIGH, NLM_F.DUMP, neighbourMessageBody, { family: 0, index: 0, state: 0, flags: 0, type: 0, attrs: {} });
    const neighOf = (text: string) => neighs.find((m) => m.length > 20 && decode(neighbourMessageBody, m).attrs.dst?.toString() === text)!;
    save('neigh-ipv4.hex', 'RTM_NEWNEIGH 10.1.0.9 lladdr 02:00:00:00:00:09 dev br0 PERMANENT', 'ip neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev br0 nud permanent; RTM_GETNEIGH dump', neighOf('10.1.0.9'));
    save('neigh-ipv6.hex', 'RTM_NEWNEIGH fd00::9 lladdr 02:00:00:00:00:19 dev br0 PERMANENT', 'ip neigh add fd00::9 lladdr 02:00:00:00:00:19 dev br0 nud permanent; RTM_GETNEIGH dump', neighOf('fd00::9'));
    save('done.hex', 'NLMSG_DONE closing a dump', 'the RTM_GETNEIGH dump above', neighs[neighs.length - 1]!);

    const err = exchange(sa, RTM.NEWLINK, NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL, linkMessageBody, emptyLink(0, { ifName: 'd0', linkInfo: { kind: 'dummy' } }));
    save('error-extack.hex', 'NLMSG_ERROR EOPNOTSUPP with NLM_F_CAPPED|NLM_F_ACK_TLVS and NLMSGERR_ATTR_MSG "Unknown device type" (a kernel without dummy)', 'RTM_NEWLINK d0 type dummy on a socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK', err[err.length - 1]!);
    const ack = exchange(sa, RTM.SETLINK, NLM_F.ACK, linkMessageBody, { ...emptyLink(0, { ifName: 'br0' }), flags: 1, change: 1 });
    save('ack-ok.hex', 'NLMSG_ERROR with error 0 (an ACK), NLM_F_CAPPED', 'RTM_SETLINK br0 up with NLM_F_ACK on a socket with NETLINK_CAP_ACK', ack[ack.length - 1]!);
    sa.close();
    sb.close();
  } finally {
    execFileSync('ip', ['netns', 'del', A]);
    execFileSync('ip', ['netns', 'del', B]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
  process.exitCode = 1;
});
