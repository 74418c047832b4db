// static in-process: every config key, the requested-address sources and their precedence, CHECK, DEL.
import { describe, expect, it } from 'vitest';
import { runWithIo } from '@cni-ts/skel/testing';
import { staticIpam } from './plugin.ts';

type Verb = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC';

function conf(ipam: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    cniVersion: '1.1.0',
    name: 'net',
    ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64' }], ...ipam },
    ...extra,
  };
}

async function run(command: Verb, stdin: unknown, cniArgs?: string) {
  const env: Record<string, string> = { CNI_COMMAND: command, CNI_PATH: '/nonexistent' };
  if (command !== 'STATUS' && command !== 'GC') Object.assign(env, { CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: '/var/run/netns/x' });
  if (cniArgs) env.CNI_ARGS = cniArgs;
  return runWithIo(staticIpam, { env, stdin });
}

const addresses = (json: unknown) => ((json as { ips?: { address: string; gateway?: string }[] }).ips ?? []).map((i) => (i.gateway ? `${i.address} via ${i.gateway}` : i.address));

describe('ADD', () => {
  it('returns addresses (host bits kept), routes (1.1.0 attributes too) and dns', async () => {
    const out = await run('ADD', conf({
      routes: [{ dst: '0.0.0.0/0', gw: '10.10.0.1' }, { dst: '10.20.0.0/16', mtu: 1400, table: 100, scope: 0 }],
      dns: { nameservers: ['10.10.0.53'], domain: 'example.com', search: ['example.com'], options: ['ndots:2'] },
    }));
    expect(out.json).toEqual({
      cniVersion: '1.1.0',
      ips: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64' }],
      routes: [{ dst: '0.0.0.0/0', gw: '10.10.0.1' }, { dst: '10.20.0.0/16', mtu: 1400, table: 100, scope: 0 }],
      dns: { nameservers: ['10.10.0.53'], domain: 'example.com', search: ['example.com'], options: ['ndots:2'] },
    });
  });

  it.each([
    ['CNI_ARGS IP appends, GATEWAY applies to the CNI_ARGS addresses it fits', {}, 'IP=10.30.0.5/24,fd30::5/64;GATEWAY=10.30.0.1,10.10.0.9',
      ['10.10.0.5/24 via 10.10.0.1', 'fd00::5/64', '10.30.0.5/24 via 10.30.0.1', 'fd30::5/64']],
    ['args.cni.ips replaces every configured address', { args: { cni: { ips: ['10.40.0.5/24'] } } }, 'IP=10.30.0.5/24', ['10.40.0.5/24']],
    ['runtimeConfig.ips replaces them too', { runtimeConfig: { ips: ['10.50.0.5/24'] } }, 'IP=10.30.0.5/24', ['10.50.0.5/24']],
    ['args.cni.ips wins over runtimeConfig.ips (CONVENTIONS; the reference prefers runtimeConfig)',
      { args: { cni: { ips: ['10.40.0.5/24'] } }, runtimeConfig: { ips: ['10.50.0.5/24'] } }, undefined, ['10.40.0.5/24']],
    ['an empty args.cni.ips names nothing and does not count', { args: { cni: { ips: [] } } }, 'IP=10.30.0.5/24',
      ['10.10.0.5/24 via 10.10.0.1', 'fd00::5/64', '10.30.0.5/24']],
    ['capitalised keys in the capability', { runtimeConfig: { IPs: ['10.50.0.6/24'] } }, undefined, ['10.50.0.6/24']],
  ])('%s', async (_name, extra, cniArgs, expected) => {
    const out = await run('ADD', conf({}, extra), cniArgs);
    expect(out.code).toBe(0);
    expect(addresses(out.json)).toEqual(expected);
  });

  it('ignores CNI_ARGS entirely (even when malformed) once a structured source names addresses', async () => {
    const out = await run('ADD', conf({}, { args: { cni: { ips: ['10.40.0.5/24'] } } }), 'IP=garbage;GATEWAY=junk');
    expect(addresses(out.json)).toEqual(['10.40.0.5/24']);
  });

  it('gives an empty result without addresses (1.x) and the reference error below 0.3.0', async () => {
    expect((await run('ADD', conf({ addresses: [] }))).json).toEqual({ cniVersion: '1.1.0', dns: {} });
    expect((await run('ADD', { ...conf({ addresses: [] }), cniVersion: '0.2.0' })).json).toMatchObject({ code: 999, msg: 'cannot convert: no valid IP addresses' });
  });

  it.each([
    [{ addresses: [{ address: '10.10.0.5' }] }, undefined, {}, 'ipam.addresses[0].address: invalid CIDR address: "10.10.0.5"'],
    [{ addresses: [{ address: '10.10.0.5/24', gateway: 'fd00::1' }] }, undefined, {}, 'ipam.addresses[0].gateway: fd00::1 is not in the address family of 10.10.0.5/24'],
    [{}, 'IP=10.30.0.5', {}, 'CNI_ARGS IP: expected CIDR notation (e.g. 10.10.0.1/24), got "10.30.0.5"'],
    [{}, 'GATEWAY=nope', {}, 'CNI_ARGS GATEWAY: invalid IP address: "nope"'],
    [{}, undefined, { args: { cni: { ips: ['10.40.0.5'] } } }, 'args.cni.ips[0]: invalid CIDR address: "10.40.0.5"'],
    [{ addresses: [{ address: '10.1.0.1/24' }, { address: '10.2.0.1/24' }] }, undefined, { cniVersion: '0.2.0' }, 'CNI version 0.2.0 does not support more than 1 address per family'],
  ])('refuses %j %s %j with 999 naming the field', async (ipam, cniArgs, extra, msg) => {
    expect((await run('ADD', conf(ipam, extra), cniArgs)).json).toEqual({ code: 999, msg });
  });
});

describe('DEL, STATUS, GC', () => {
  it('always succeed: static keeps no state (DEL even with a broken config)', async () => {
    expect(await run('DEL', conf({ addresses: 'garbage' }))).toMatchObject({ code: 0, stdout: '' });
    expect(await run('STATUS', conf())).toMatchObject({ code: 0, stdout: '' });
    expect(await run('GC', conf())).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('CHECK', () => {
  const prev = { cniVersion: '1.1.0', ips: [{ address: '10.10.0.5/24', gateway: '10.10.0.1', interface: 2 }, { address: 'fd00::5/64' }] };

  it('passes when prevResult holds every address with its gateway', async () => {
    expect((await run('CHECK', conf({}, { prevResult: prev }))).code).toBe(0);
  });

  it.each([
    ['no prevResult', undefined, 'Required prevResult missing'],
    ['a gateway differs', { ...prev, ips: [{ address: '10.10.0.5/24', gateway: '10.10.0.9' }, { address: 'fd00::5/64' }] },
      'static: Failed to match addr 10.10.0.5 on interface eth0: gateway 10.10.0.9 in prevResult, 10.10.0.1 configured'],
    ['an address is missing (the reference does not notice)', { ...prev, ips: [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }] },
      'static: Failed to match addr fd00::5 on interface eth0: not in prevResult'],
  ])('fails when %s', async (_name, prevResult, msg) => {
    expect((await run('CHECK', conf({}, prevResult ? { prevResult } : {}))).json).toEqual({ code: 999, msg });
  });
});
