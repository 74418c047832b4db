// CHECK right after ADD, with ADD's own result as prevResult (as a runtime sends it), must pass: also when the
// config lists one address twice with different gateways (found by the fuzzing of issue 10).
import { describe, expect, it } from 'vitest';
import { runWithIo } from '@cni-ts/skel/testing';
import { staticIpam } from './plugin.ts';

const env = (command: string) => ({ CNI_COMMAND: command, CNI_PATH: '/nonexistent', CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: '/var/run/netns/x' });

describe('CHECK of ADD\'s own result', () => {
  it.each([
    ['one address per family', [{ address: '10.10.0.5/24', gateway: '10.10.0.1' }, { address: 'fd00::5/64' }]],
    ['an address twice with different gateways', [{ address: '192.168.7.1/16', gateway: '10.10.0.1' }, { address: '192.168.7.1/16', gateway: '192.168.0.1' }]],
  ])('%s', async (_name, addresses) => {
    const conf = { cniVersion: '1.0.0', name: 'net', ipam: { type: 'static', addresses } };
    const add = await runWithIo(staticIpam, { env: env('ADD'), stdin: conf });
    expect(add.code, add.stdout).toBe(0);
    const check = await runWithIo(staticIpam, { env: env('CHECK'), stdin: { ...conf, prevResult: add.json } });
    expect(check.code, check.stdout).toBe(0);
  });

  it('still fails when no entry of the address has the configured gateway', async () => {
    const conf = { cniVersion: '1.0.0', name: 'net', ipam: { type: 'static', addresses: [{ address: '192.168.7.1/16', gateway: '192.168.0.1' }] } };
    const prevResult = { cniVersion: '1.0.0', ips: [{ address: '192.168.7.1/16', gateway: '10.10.0.1' }, { address: '192.168.7.1/16' }] };
    const check = await runWithIo(staticIpam, { env: env('CHECK'), stdin: { ...conf, prevResult } });
    expect(check.json).toEqual({ code: 999, msg: 'static: Failed to match addr 192.168.7.1 on interface eth0: gateway 10.10.0.1 in prevResult, 192.168.0.1 configured' });
  });
});
