// The reliability harness must be able to fail: the oracle flags each kind of bad outcome, and the leak checks
// see each kind of leftover (planted here by hand) in a real world of throwaway namespaces.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaks, nftRules } from './leaks.ts';
import { outcomeProblems } from './oracle.ts';
import type { Outcome } from './targets.ts';
import { World } from './world.ts';

const ok = (stdout: string, extra: Partial<Outcome> = {}): Outcome => ({ via: 'exec', code: 0, stdout, stderr: '', ms: 1, ...extra });
const judge = (command: string, outcome: Outcome, declaredVersion: unknown = '1.0.0', secrets: string[] = []) => outcomeProblems({ command, declaredVersion, outcome, secrets });
const result = JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.2/24' }], dns: {} });

describe('the oracle', () => {
  it('accepts a valid result, a valid error, and silence from DEL', () => {
    expect(judge('ADD', ok(result))).toEqual([]);
    expect(judge('ADD', { ...ok('{"code":7,"msg":"bad"}'), code: 1 })).toEqual([]);
    expect(judge('DEL', ok(''))).toEqual([]);
  });
  it.each([
    ['a result of another version', judge('ADD', ok(result), '0.4.0')],
    ['a result invalid for its version', judge('ADD', ok(JSON.stringify({ cniVersion: '1.0.0', ips: [{ address: '10.0.0.2' }] })))],
    ['text after the document', judge('ADD', ok(`${result}\nok`))],
    ['a stack trace', judge('ADD', { ...ok('{"code":999,"msg":"x"}\n    at foo (/x.js:1:2)'), code: 1 })],
    ['an error without a code', judge('ADD', { ...ok('{"msg":"x"}'), code: 1 })],
    ['exit 2', judge('DEL', { ...ok(''), code: 2 })],
    ['output from DEL', judge('DEL', ok('OK'))],
    ['a hang', judge('ADD', { ...ok(''), timedOut: true })],
    ['a secret on stderr', judge('DEL', { ...ok(''), stderr: 'token=TOKEN-1' }, '1.0.0', ['TOKEN-1'])],
    ['stray output of the worker', judge('DEL', { ...ok(''), stray: 'hello' })],
  ])('flags %s', (_what, problems) => expect(problems.length).toBeGreaterThan(0));
});

describe('nftRules', () => {
  it('ignores the shared masquerade base chain and chain headers, keeps per-attachment rules and chains', () => {
    const dump = [
      'table inet cni_plugins_masquerade {',
      '\tcomment "Masquerading for plugins from github.com/containernetworking/plugins"',
      '\tchain masq_checks {',
      '\t\tcomment "Masquerade traffic from certain IPs"',
      '\t\tip saddr 10.0.0.2 ip daddr != 10.0.0.0/24 masquerade comment "abc"',
      '\t}',
      '\tchain postrouting {',
      '\t\ttype nat hook postrouting priority srcnat; policy accept;',
      '\t\tip daddr 224.0.0.0/4 return',
      '\t\tgoto masq_checks',
      '\t}',
      '}',
      'table bridge nat {',
      '\tchain cni-br-iface-x {',
      '\t}',
      '}',
    ].join('\n');
    expect(nftRules(dump)).toEqual([
      'inet cni_plugins_masquerade masq_checks: ip saddr 10.0.0.2 ip daddr != 10.0.0.0/24 masquerade comment "abc"',
      'chain bridge nat cni-br-iface-x',
    ]);
  });
});

describe('the leak checks', () => {
  it('see a planted reservation, dnsmasq record, host veth, container link and firewall rule', async () => {
    await using world = await World.create({ kernel: true });
    const scope = { hostLocal: true, dnsmasq: true, kernel: true, firewall: true };
    expect(await leaks(world, scope)).toEqual([]);
    await mkdir(join(world.dataDir, 'net'));
    await writeFile(join(world.dataDir, 'net', 'lock'), '');
    await writeFile(join(world.dataDir, 'net', 'last_reserved_ip.0'), '10.0.0.2');
    expect(await leaks(world, scope)).toEqual([]); // the lock and the cursor are not reservations
    await writeFile(join(world.dataDir, 'net', '10.0.0.2'), 'id\r\neth0');
    await mkdir(join(world.runDir, 'net', 'attachments'), { recursive: true });
    await writeFile(join(world.runDir, 'net', 'attachments', 'id_eth0.json'), '{}');
    await world.host!.ip(['link', 'add', 'lk-h', 'type', 'veth', 'peer', 'name', 'lk-c', 'netns', world.container!.name]);
    await world.host!.exec('nft', ['add table inet t; add chain inet t c; add rule inet t c ip saddr 10.0.0.2 accept']);
    const found = await leaks(world, scope);
    expect(found).toEqual(expect.arrayContaining([
      'host-local net/10.0.0.2',
      'dnsmasq-ipam record net/id_eth0.json',
      'host veth lk-h',
      'container link lk-c',
      'nft inet t c: ip saddr 10.0.0.2 accept',
    ]));
  });
});
