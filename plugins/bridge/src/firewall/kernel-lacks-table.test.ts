// DEL and GC on a kernel that cannot hold the firewall table (no nf_tables, no nfnetlink, no ip6table_nat) have
// nothing to remove and succeed; ADD and CHECK still report the tool's failure, and so does DEL for any other one.
// The stderr texts are the tools' own (nft, iptables-nft, iptables-legacy); this kernel has all of these tables, so
// the failing tool is simulated by the runner, which is the one seam the firewall code has.
import { describe, expect, it } from 'vitest';
import { parseIpNet } from '../ipnet.ts';
import { type CommandResult, type CommandRunner, NetfilterCommandError } from './command.ts';
import { iptablesMasq } from './iptables-masq.ts';
import { nftablesMasq } from './nftables-masq.ts';
import { gcSpoofcheck, setupSpoofcheck, teardownSpoofcheck } from './spoofcheck.ts';

const NO_NF_TABLES = 'Error: Could not process rule: Operation not supported\nlist chain inet cni_plugins_masquerade masq_checks\n';
const OLD_NFT = 'Error: Could not process rule: Not supported\n';
const NO_NFNETLINK = 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Protocol not supported\n';
const NO_IP6_NAT = "ip6tables v1.8.9 (legacy): can't initialize ip6tables table `nat': Table does not exist (do you need to insmod?)\n";
const DENIED = 'Error: Could not process rule: Operation not permitted\n';

/** A runner whose every tool fails with `stderr`, recording what it was asked to run. */
function failingRunner(stderr: string): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    has: () => true,
    run: async (program, args): Promise<CommandResult> => {
      calls.push(`${program} ${args.join(' ')}`);
      return { code: 1, stdout: '', stderr };
    },
  };
}

const owner = { network: 'net1', containerId: 'c1', ifName: 'eth0' };
const addresses = [parseIpNet('10.1.0.2/24'), parseIpNet('fd00::2/64')];
const target = { containerId: 'c1', ifName: 'eth0', hostVeth: 'veth1', mac: '02:00:00:00:00:01' };

describe.each([
  ['nftables', nftablesMasq, NO_NF_TABLES],
  ['nftables (older nft)', nftablesMasq, OLD_NFT],
  ['iptables-nft', iptablesMasq, NO_NFNETLINK],
  ['iptables-legacy', iptablesMasq, NO_IP6_NAT],
] as const)('ipMasq %s on a kernel without the table', (_name, backend, stderr) => {
  it('DEL and GC succeed after one listing each, changing nothing', async () => {
    const runner = failingRunner(stderr);
    await backend(runner).teardown(owner, addresses);
    await backend(runner).teardown(owner, undefined);
    await backend(runner).gc('net1', []);
    expect(runner.calls.every((c) => / list | -S$/.test(c))).toBe(true);
    expect(runner.calls.length).toBeGreaterThan(0);
  });
  it('ADD and CHECK still fail with the tool message', async () => {
    const runner = failingRunner(stderr);
    await expect(backend(runner).setup(owner, addresses)).rejects.toThrow(stderr.trim().split('\n')[0]);
    await expect(backend(runner).check(owner, addresses)).rejects.toBeInstanceOf(NetfilterCommandError);
  });
});

describe('any other listing failure', () => {
  it.each([
    ['nftables', nftablesMasq],
    ['iptables', iptablesMasq],
  ] as const)('still fails %s DEL and GC', async (_name, backend) => {
    await expect(backend(failingRunner(DENIED)).teardown(owner, addresses)).rejects.toBeInstanceOf(NetfilterCommandError);
    await expect(backend(failingRunner(DENIED)).gc('net1', [])).rejects.toBeInstanceOf(NetfilterCommandError);
  });
  it('still fails the spoof check DEL and GC', async () => {
    await expect(teardownSpoofcheck(failingRunner(DENIED), target)).rejects.toBeInstanceOf(NetfilterCommandError);
    await expect(gcSpoofcheck(failingRunner(DENIED), [], async () => true)).rejects.toBeInstanceOf(NetfilterCommandError);
  });
});

describe('macspoofchk on a kernel without nf_tables', () => {
  it('DEL and GC succeed after listing; ADD fails', async () => {
    const runner = failingRunner(NO_NF_TABLES);
    await teardownSpoofcheck(runner, target);
    await gcSpoofcheck(runner, [], async () => true);
    expect(runner.calls).toHaveLength(2);
    expect(runner.calls.every((c) => c.startsWith('nft -j list table '))).toBe(true);
    await expect(setupSpoofcheck(runner, target)).rejects.toBeInstanceOf(NetfilterCommandError);
  });
});
