// Differential: the Go reference `static` IPAM plugin (installed at /usr/lib/cni by scripts/setup.sh) prints a
// dual-stack result with routes and DNS at each cniVersion; our conversion of the same result must print the
// same bytes. static does not touch any namespace, so this runs unprivileged.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { formatResult } from './convert.ts';
import { parseResult } from './parse.ts';

const goStatic = '/usr/lib/cni/static';
const goVersions = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'] as const;

function goAdd(cniVersion: string): string {
  const conf = {
    cniVersion,
    name: 'skel-diff',
    type: 'static',
    ipam: {
      type: 'static',
      addresses: [{ address: '10.1.0.5/16', gateway: '10.1.0.1' }, { address: '2001:db8::5/64' }],
      routes: [{ dst: '0.0.0.0/0' }, { dst: '192.168.0.0/16', gw: '10.1.0.9' }, { dst: '::/0' }, { dst: '2001:db8:1::/48', gw: '2001:db8::9' }],
      dns: { nameservers: ['10.1.0.1', '2001:db8::1'], domain: 'example.test', search: ['a.test', 'b.test'], options: ['ndots:2'] },
    },
  };
  const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'skel-diff', CNI_NETNS: '/var/run/netns/skel-diff-none', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni' };
  const r = spawnSync(goStatic, [], { env, input: JSON.stringify(conf), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${goStatic} failed (${String(r.status)}): ${r.stdout}${r.stderr}${String(r.error ?? '')}`);
  return r.stdout;
}

describe('conversion matches the Go static plugin byte for byte', () => {
  const goOut = Object.fromEntries(goVersions.map((v) => [v, goAdd(v)]));
  test.each(goVersions)('the 1.0.0 result printed as %s', (v) => {
    const model = parseResult(JSON.parse(goOut['1.0.0'] ?? ''));
    expect(formatResult(model, v)).toBe(goOut[v]);
  });
  test.each(goVersions)('the %s result parsed and printed again', (v) => {
    expect(formatResult(parseResult(JSON.parse(goOut[v] ?? '')), v)).toBe(goOut[v]);
  });
});
