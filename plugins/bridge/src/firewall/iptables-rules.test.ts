import { describe, expect, test } from 'vitest';
import { parseIpNet } from '../ipnet.ts';
import { masqueradeRules, natScript, parseRuleListing, ruleOwner, ruleSource, ruleTarget } from './iptables-rules.ts';

// Captured with `iptables -t nat -S` after the Go reference bridge (1.1.1) set up ipMasq for 10.201.0.2/16.
const listing = `-P PREROUTING ACCEPT
-P INPUT ACCEPT
-P OUTPUT ACCEPT
-P POSTROUTING ACCEPT
-N CNI-b8b110efde34c2a07eb81fe8
-A POSTROUTING -s 10.201.0.2/32 -m comment --comment "name: \\"cni-bench\\" id: \\"c1\\"" -j CNI-b8b110efde34c2a07eb81fe8
-A CNI-b8b110efde34c2a07eb81fe8 -d 10.201.0.0/16 -m comment --comment "name: \\"cni-bench\\" id: \\"c1\\"" -j ACCEPT
-A CNI-b8b110efde34c2a07eb81fe8 ! -d 224.0.0.0/4 -m comment --comment "name: \\"cni-bench\\" id: \\"c1\\"" -j MASQUERADE
`;

describe('iptables rule text', () => {
  test('parses chains and rules of a listing', () => {
    const t = parseRuleListing(listing);
    expect([...t.chains]).toEqual(['CNI-b8b110efde34c2a07eb81fe8']);
    expect(t.rules).toHaveLength(3);
    expect(ruleTarget(t.rules[0] ?? '')).toBe('CNI-b8b110efde34c2a07eb81fe8');
    expect(ruleSource(t.rules[0] ?? '')).toBe('10.201.0.2');
    expect(ruleOwner(t.rules[1] ?? '')).toEqual({ network: 'cni-bench', containerId: 'c1' });
    expect(ruleOwner('-A X -j ACCEPT')).toBeUndefined();
  });

  test('renders the rules exactly as iptables lists them', () => {
    const chain = 'CNI-b8b110efde34c2a07eb81fe8';
    const r = masqueradeRules(chain, 'name: "cni-bench" id: "c1"', 4, [parseIpNet('10.201.0.2/16')]);
    expect(new Set([...r.accept, r.masquerade, ...r.jumps])).toEqual(new Set(parseRuleListing(listing).rules));
  });

  test('IPv6 uses ff00::/8 and /128 sources', () => {
    const r = masqueradeRules('CNI-x', 'c', 6, [parseIpNet('fd00:0::2/64')]);
    expect(r.accept).toEqual(['-A CNI-x -d fd00::/64 -m comment --comment "c" -j ACCEPT']);
    expect(r.masquerade).toBe('-A CNI-x ! -d ff00::/8 -m comment --comment "c" -j MASQUERADE');
    expect(r.jumps).toEqual(['-A POSTROUTING -s fd00::2/128 -m comment --comment "c" -j CNI-x']);
  });

  test('restore script', () => {
    expect(natScript(['-X a'])).toBe('*nat\n-X a\nCOMMIT\n');
  });
});

test('the captured chain name is the hash the naming helper computes', async () => {
  const { iptablesChainName } = await import('./names.ts');
  expect(iptablesChainName('cni-bench', 'c1')).toBe('CNI-b8b110efde34c2a07eb81fe8');
});
