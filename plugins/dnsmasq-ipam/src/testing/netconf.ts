// Network configurations for kernel tests: the lab bridge, a private runDir, DNS without upstream traffic.
import type { Lab } from './lab.ts';

export const SUBNET = '10.204.0.0/24';
export const GATEWAY = '10.204.0.1';

export function netconf(lab: Lab, opts: { cniVersion?: string; name?: string; ipam?: Record<string, unknown>; top?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    cniVersion: opts.cniVersion ?? '1.1.0',
    name: opts.name ?? 'dqnet',
    type: 'bridge',
    bridge: lab.bridge,
    ...opts.top,
    ipam: {
      type: 'dnsmasq-ipam',
      subnet: SUBNET,
      rangeStart: '10.204.0.10',
      rangeEnd: '10.204.0.250',
      dns: { domain: 'dq.test', forward: false }, // no-resolv: no upstream traffic from tests
      runDir: `${lab.dir}/run`,
      ...opts.ipam,
    },
  };
}
