import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  iptablesChainName, iptablesComment, nftInstanceHash, nftMasqComment, nftNetworkHash, spoofcheckComment,
  spoofcheckIfaceChain, spoofcheckId, spoofcheckMacChain,
} from './names.ts';

const sha = (s: string) => createHash('sha512').update(s).digest('hex');

describe('reference names', () => {
  test('iptables chain: CNI- + 24 hex of sha512(network + containerID), as in the reference utils tests', () => {
    expect(iptablesChainName('test', '1234')).toBe('CNI-2bbe0c48b91a7d1b8a6753a8');
    expect(iptablesChainName('testalongnamethatdoesnotmakesense', '1234')).toBe('CNI-374f33fe84ab0ed84dcdebe3');
    expect(iptablesChainName('a', 'b')).toHaveLength(28);
  });

  test('iptables comment', () => {
    expect(iptablesComment('mynet', 'c1')).toBe('name: "mynet" id: "c1"');
  });

  test('nftables hashes and comment', () => {
    expect(nftNetworkHash('mynet')).toBe(sha('mynet').slice(0, 16));
    expect(nftInstanceHash('mynet', 'eth0', 'c1')).toBe(`${sha('mynet').slice(0, 16)}-${sha('eth0:c1').slice(0, 16)}`);
    expect(nftMasqComment('mynet', 'eth0', 'c1')).toBe(`${nftInstanceHash('mynet', 'eth0', 'c1')}, net: mynet, if: eth0, id: c1`);
  });

  test('nftables comment strips quotes and is cut at 128 characters', () => {
    const comment = nftMasqComment('n', 'e"0', 'x'.repeat(200));
    expect(comment).toHaveLength(128);
    expect(comment).toContain('if: e0,');
    expect(comment.startsWith(nftInstanceHash('n', 'e"0', 'x'.repeat(200)))).toBe(true);
  });

  test('macspoofchk names', () => {
    const id = spoofcheckId('c1', 'eth0');
    expect([spoofcheckIfaceChain(id), spoofcheckMacChain(id), spoofcheckComment(id)])
      .toEqual(['cni-br-iface-c1-eth0', 'cni-br-iface-c1-eth0-mac', 'macspoofchk-c1-eth0']);
  });
});
