// host-local in-process, verb by verb, on a throwaway data directory.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runWithIo } from '@cni-ts/skel/testing';
import { hostLocal } from './plugin.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'host-local-plugin-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Verb = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC';
const netDir = () => join(root, 'net');

function conf(ipam: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { cniVersion: '1.1.0', name: 'net', ipam: { type: 'host-local', dataDir: root, ranges: [[{ subnet: '10.1.0.0/29' }], [{ subnet: 'fd00::/125' }]], ...ipam }, ...extra };
}

async function run(command: Verb, stdin: unknown, opts: { id?: string; ifName?: string; cniArgs?: string } = {}) {
  const env: Record<string, string> = { CNI_COMMAND: command, CNI_PATH: '/nonexistent' };
  if (command !== 'STATUS' && command !== 'GC') {
    Object.assign(env, { CNI_CONTAINERID: opts.id ?? 'c1', CNI_IFNAME: opts.ifName ?? 'eth0', CNI_NETNS: '/var/run/netns/dummy' });
  }
  if (opts.cniArgs) env.CNI_ARGS = opts.cniArgs;
  return runWithIo(hostLocal, { env, stdin });
}

const files = () => (existsSync(netDir()) ? readdirSync(netDir()).filter((n) => n !== 'lock' && !n.startsWith('last_')).sort() : []);

describe('ADD', () => {
  it('allocates one address per range set and prints the IPAM result', async () => {
    const out = await run('ADD', conf({ routes: [{ dst: '0.0.0.0/0' }] }));
    expect(out.code).toBe(0);
    expect(out.json).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.1.0.2/29', gateway: '10.1.0.1' }, { address: 'fd00::2/125', gateway: 'fd00::1' }],
      routes: [{ dst: '0.0.0.0/0' }],
      dns: {},
    });
    expect(files()).toEqual(['10.1.0.2', 'fd00::2']);
  });

  it('adds the DNS of ipam.resolvConf', async () => {
    const resolv = join(root, 'resolv.conf');
    writeFileSync(resolv, 'nameserver 10.0.0.53\nsearch example.com\n');
    const out = await run('ADD', conf({ resolvConf: resolv }));
    expect((out.json as { dns: unknown }).dns).toEqual({ nameservers: ['10.0.0.53'], search: ['example.com'] });
  });

  it('puts runtimeConfig.ipRanges first, then the legacy range, then ranges', async () => {
    const out = await run('ADD', conf({ subnet: '10.2.0.0/24', ranges: [[{ subnet: '10.3.0.0/24' }]] }, { runtimeConfig: { ipRanges: [{ Subnet: '10.4.0.0/24', RangeStart: '10.4.0.50' }] } }));
    expect((out.json as { ips: { address: string }[] }).ips.map((i) => i.address)).toEqual(['10.4.0.50/24', '10.2.0.2/24', '10.3.0.2/24']);
    expect(readFileSync(join(netDir(), 'last_reserved_ip.0'), 'utf8')).toBe('10.4.0.50');
  });

  it.each([
    ['args.cni.ips wins over the others', { args: { cni: { ips: ['10.1.0.5'] } }, runtimeConfig: { ips: ['10.1.0.4'] } }, 'IP=10.1.0.3', '10.1.0.5/29'],
    ['runtimeConfig.ips wins over CNI_ARGS', { runtimeConfig: { ips: ['10.1.0.4/8'] } }, 'IP=10.1.0.3', '10.1.0.4/29'],
    ['CNI_ARGS IP (prefix ignored)', {}, 'IgnoreUnknown=1;K8S_POD_NAME=x;IP=10.1.0.3/16', '10.1.0.3/29'],
  ])('requested address: %s', async (_name, extra, cniArgs, address) => {
    const out = await run('ADD', conf({}, extra), { cniArgs });
    expect((out.json as { ips: { address: string }[] }).ips[0]!.address).toBe(address);
  });

  it('fails a second ADD of the same attachment and keeps its reservation', async () => {
    await run('ADD', conf());
    const out = await run('ADD', conf());
    expect(out.json).toMatchObject({ code: 102, msg: expect.stringContaining('10.1.0.2 has been allocated to c1, duplicate allocation is not allowed') });
    expect(files()).toEqual(['10.1.0.2', 'fd00::2']);
  });

  it('reports an exhausted pool with code 100 and reserves nothing', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) expect((await run('ADD', conf(), { id })).code).toBe(0);
    const out = await run('ADD', conf(), { id: 'f' });
    expect(out.json).toEqual({ code: 100, msg: 'failed to allocate for range 0 (ipam.ranges[0]): no IP addresses available in range set: 10.1.0.1-10.1.0.6' });
    expect(files()).toHaveLength(10);
  });

  it('refuses several addresses per family below 0.3.0', async () => {
    const out = await run('ADD', { ...conf({ ranges: [[{ subnet: '10.1.0.0/29' }], [{ subnet: '10.2.0.0/29' }]] }), cniVersion: '0.2.0' });
    expect(out.json).toEqual({ code: 999, msg: 'CNI version 0.2.0 does not support more than 1 address per family' });
  });
});

describe('DEL', () => {
  it('releases the attachment and is safe to repeat, even without any state', async () => {
    await run('ADD', conf(), { id: 'a' });
    await run('ADD', conf(), { id: 'b' });
    expect((await run('DEL', conf(), { id: 'a' })).code).toBe(0);
    expect(files()).toEqual(['10.1.0.3', 'fd00::3']);
    expect((await run('DEL', conf(), { id: 'a' })).code).toBe(0);
    rmSync(netDir(), { recursive: true });
    expect(await run('DEL', conf(), { id: 'b' })).toMatchObject({ code: 0, stdout: '' });
    expect(existsSync(netDir())).toBe(false); // DEL creates nothing
  });

  it('still releases when the ranges became invalid (it reads only dataDir)', async () => {
    await run('ADD', conf());
    expect((await run('DEL', conf({ ranges: [[{ subnet: 'garbage' }]] }))).code).toBe(0);
    expect(files()).toEqual([]);
  });
});

describe('CHECK', () => {
  it('passes when the reservation exists and matches prevResult', async () => {
    const added = (await run('ADD', conf())).json as object;
    expect((await run('CHECK', conf({}, { prevResult: added }))).code).toBe(0);
    expect((await run('CHECK', conf())).code).toBe(0); // without prevResult: existence only, as the reference
  });

  it('fails without a reservation (the reference message) and on a mismatch with prevResult', async () => {
    expect((await run('CHECK', conf())).json).toEqual({ code: 999, msg: 'host-local: Failed to find address added by container c1 (ifname eth0)' });
    await run('ADD', conf());
    const prevResult = { cniVersion: '1.1.0', ips: [{ address: '10.1.0.3/29' }, { address: 'fd00::2/125' }, { address: '192.168.9.9/24' }] };
    expect((await run('CHECK', conf({}, { prevResult }))).json).toEqual({
      code: 999,
      msg: 'host-local: the reservations of container c1 (ifname eth0) do not match prevResult: reserved but not in prevResult: 10.1.0.2; in prevResult but not reserved: 10.1.0.3',
    });
  });
});

describe('STATUS', () => {
  it('succeeds while every range set has a free address', async () => {
    expect((await run('STATUS', conf())).code).toBe(0);
    expect((await run('STATUS', conf({ ranges: undefined }))).code).toBe(0); // ranges only from the runtime: nothing to judge
  });

  it('fails with 50 when a range set is exhausted', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await run('ADD', conf(), { id });
    expect((await run('STATUS', conf())).json).toEqual({ code: 50, msg: 'host-local: no IP addresses available in range set ipam.ranges[0] (10.1.0.1-10.1.0.6)' });
  });

  it('fails with 50 when the state directory cannot be written', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const out = await run('STATUS', conf({ dataDir: join(file, 'sub') }));
    expect(out.json).toEqual({ code: 50, msg: `host-local: the state directory ${join(file, 'sub', 'net')} is not writable: ${file} is not a directory` });
  });
});

describe('GC', () => {
  const withValid = (valid: unknown) => ({ ...conf(), 'cni.dev/valid-attachments': valid });

  it('releases everything not in cni.dev/valid-attachments, keeping legacy records by id', async () => {
    for (const id of ['a', 'b']) await run('ADD', conf(), { id });
    writeFileSync(join(netDir(), '10.1.0.6'), 'legacy');
    writeFileSync(join(netDir(), '10.1.0.5'), 'gone');
    writeFileSync(join(netDir(), '10.1.0.4'), ''); // empty: nobody's
    writeFileSync(join(netDir(), '.cni-ts-tmp-x-1-y'), 'a\r\neth0'); // debris of a crashed writer
    const out = await run('GC', withValid([{ containerID: 'a', ifname: 'eth0' }, { containerID: 'legacy', ifname: 'eth0' }]));
    expect(out.code).toBe(0);
    expect(files()).toEqual(['10.1.0.2', '10.1.0.6', 'fd00::2']);
    expect(readdirSync(netDir())).not.toContain('.cni-ts-tmp-x-1-y');
  });

  it('an empty record left by a crashed writer is skipped by ADD and removed by GC', async () => {
    await run('ADD', conf(), { id: 'a' });
    writeFileSync(join(netDir(), '10.1.0.3'), '');
    const out = await run('ADD', conf(), { id: 'b' });
    expect((out.json as { ips: { address: string }[] }).ips[0]!.address).toBe('10.1.0.4/29');
    await run('GC', withValid([{ containerID: 'a', ifname: 'eth0' }, { containerID: 'b', ifname: 'eth0' }]));
    expect(files()).toEqual(['10.1.0.2', '10.1.0.4', 'fd00::2', 'fd00::3']);
  });

  it('treats a missing key as "nothing is valid", and the wrong ifname as stale', async () => {
    await run('ADD', conf(), { id: 'a', ifName: 'eth0' });
    await run('ADD', conf(), { id: 'a', ifName: 'eth1' });
    await run('GC', withValid([{ containerID: 'a', ifname: 'eth1' }]));
    expect(files()).toEqual(['10.1.0.3', 'fd00::3']);
    await run('GC', conf());
    expect(files()).toEqual([]);
  });

  it('is a no-op for a network that never allocated', async () => {
    expect((await run('GC', conf())).code).toBe(0);
    expect(existsSync(netDir())).toBe(false);
  });
});
