import { describe, expect, it } from 'vitest';
import { buildDiscover, buildInform, buildRelease, buildRequest, parseReply } from './packets.ts';
import { decodeDhcpMessage, encodeDhcpMessage, findOption } from './message.ts';
import { clientIdBytes } from '../client-identity.ts';
import { parseIpv4 } from '../ipv4.ts';

const ip = (s: string): number => parseIpv4(s) ?? 0;
const client = {
  mac: Uint8Array.of(0x02, 0x42, 0xac, 0x11, 0, 2),
  clientId: clientIdBytes('cni/abc/eth0'),
  hostname: 'web1',
};
const codes = (packet: Buffer): number[] => decodeDhcpMessage(packet).options.map((o) => o.code);

describe('client messages', () => {
  it('DISCOVER: broadcast flag, chaddr, rapid commit, client-id, hostname, infinite lease, PRL', () => {
    const m = decodeDhcpMessage(buildDiscover({ xid: 7, client }));
    expect(m).toMatchObject({ op: 1, htype: 1, hlen: 6, xid: 7, flags: 0x8000, ciaddr: 0 });
    expect(m.chaddr).toEqual(client.mac);
    expect(m.options.map((o) => o.code)).toEqual([53, 61, 12, 51, 55, 80]);
    expect(findOption(m, 53)).toEqual(Uint8Array.of(1));
    expect(Buffer.from(findOption(m, 61) ?? [])).toEqual(Buffer.from('\0cni/abc/eth0'));
    expect(Buffer.from(findOption(m, 12) ?? []).toString()).toBe('web1');
    expect(findOption(m, 51)).toEqual(Uint8Array.of(255, 255, 255, 255));
    expect(findOption(m, 55)).toEqual(Uint8Array.of(1, 3, 6, 15, 51, 54, 121));
    expect(findOption(m, 80)).toEqual(new Uint8Array(0));
  });

  it('DISCOVER carries option 50 only when an address is requested', () => {
    const m = decodeDhcpMessage(buildDiscover({ xid: 7, client, requestedIp: ip('10.202.0.150') }));
    expect(findOption(m, 50)).toEqual(Uint8Array.of(10, 202, 0, 150));
  });

  it('REQUEST (4-way fallback) names the offered address and the server', () => {
    const m = decodeDhcpMessage(buildRequest({ xid: 8, client, requestedIp: ip('10.202.0.11'), serverId: ip('10.202.0.1') }));
    expect(findOption(m, 53)).toEqual(Uint8Array.of(3));
    expect(findOption(m, 50)).toEqual(Uint8Array.of(10, 202, 0, 11));
    expect(findOption(m, 54)).toEqual(Uint8Array.of(10, 202, 0, 1));
    expect(findOption(m, 61)).toEqual(client.clientId);
    expect(findOption(m, 80)).toBeUndefined();
  });

  it('RELEASE: ciaddr, hlen 0, server id and client-id, never option 50', () => {
    const packet = buildRelease({ xid: 9, address: ip('10.202.0.11'), serverId: ip('10.202.0.1'), clientId: client.clientId });
    const m = decodeDhcpMessage(packet);
    expect(m).toMatchObject({ hlen: 0, flags: 0, ciaddr: ip('10.202.0.11'), yiaddr: 0 });
    expect(codes(packet)).toEqual([53, 54, 61]);
    expect(findOption(m, 53)).toEqual(Uint8Array.of(7));
    expect(findOption(m, 50)).toBeUndefined();
  });

  it('INFORM: ciaddr, hlen 0, PRL [51, 12]', () => {
    const packet = buildInform({ xid: 10, address: ip('10.202.0.11') });
    const m = decodeDhcpMessage(packet);
    expect(m).toMatchObject({ hlen: 0, ciaddr: ip('10.202.0.11') });
    expect(codes(packet)).toEqual([53, 55]);
    expect(findOption(m, 53)).toEqual(Uint8Array.of(8));
    expect(findOption(m, 55)).toEqual(Uint8Array.of(51, 12));
  });
});

function serverReply(type: number, extra: Array<{ code: number; data: Uint8Array }>, yiaddr = ip('10.202.0.11')): Buffer {
  return encodeDhcpMessage({
    op: 2, htype: 1, hlen: 6, hops: 0, xid: 42, secs: 0, flags: 0x8000, ciaddr: 0, yiaddr, siaddr: 0, giaddr: 0,
    chaddr: client.mac, options: [{ code: 53, data: Uint8Array.of(type) }, ...extra],
  });
}

describe('parseReply', () => {
  it('reads an ACK as dnsmasq sends it', () => {
    const reply = parseReply(serverReply(5, [
      { code: 54, data: Uint8Array.of(10, 202, 0, 1) },
      { code: 51, data: Uint8Array.of(255, 255, 255, 255) },
      { code: 80, data: new Uint8Array(0) },
      { code: 1, data: Uint8Array.of(255, 255, 255, 0) },
      { code: 28, data: Uint8Array.of(10, 202, 0, 255) },
      { code: 6, data: Uint8Array.of(10, 202, 0, 1, 10, 202, 0, 2) },
      { code: 15, data: Buffer.from('dq.test') },
      { code: 3, data: Uint8Array.of(10, 202, 0, 1) },
    ]));
    expect(reply).toEqual({
      type: 5, xid: 42, yiaddr: ip('10.202.0.11'), serverId: ip('10.202.0.1'), leaseTime: 0xffffffff,
      subnetMask: 0xffffff00, routers: [ip('10.202.0.1')], dnsServers: [ip('10.202.0.1'), ip('10.202.0.2')],
      domainName: 'dq.test', rapidCommit: true,
    });
  });

  it('reads an OFFER and a NAK with its message', () => {
    expect(parseReply(serverReply(2, [{ code: 54, data: Uint8Array.of(10, 202, 0, 1) }]))).toMatchObject({ type: 2, rapidCommit: false, serverId: ip('10.202.0.1') });
    expect(parseReply(serverReply(6, [{ code: 56, data: Buffer.from('address in use\0') }], 0))).toMatchObject({ type: 6, message: 'address in use', yiaddr: 0 });
  });

  it('reads the INFORM answer with and without a lease', () => {
    expect(parseReply(serverReply(5, [{ code: 51, data: Uint8Array.of(255, 255, 255, 255) }, { code: 12, data: Buffer.from('web1') }], 0))).toMatchObject({ leaseTime: 0xffffffff, hostname: 'web1' });
    expect(parseReply(serverReply(5, [], 0))?.leaseTime).toBeUndefined();
  });

  it('ignores requests, packets without a message type and garbage', () => {
    expect(parseReply(buildInform({ xid: 1, address: 1 }))).toBeUndefined();
    const noType = encodeDhcpMessage({ ...decodeDhcpMessage(serverReply(5, [])), options: [] });
    expect(parseReply(noType)).toBeUndefined();
    expect(parseReply(Buffer.from('hello'))).toBeUndefined();
  });
});
