// The CNI_* environment and the verb of a case.
import * as fc from 'fast-check';
import { cniArgs, containerId, ifName, often, version, junk } from './common.ts';

export interface EnvOptions {
  /** CNI_NETNS values that are valid for this world (a container namespace path, or any path for IPAM) */
  netns: fc.Arbitrary<string>;
  /** hostile CNI_NETNS values that are safe in this world (never the machine's own namespace) */
  badNetns: fc.Arbitrary<string>;
  cniPath: string;
  ip: fc.Arbitrary<string>;
  /** extra variables (e.g. bridge's CNI_TS_FAULT) */
  extra?: fc.Arbitrary<Record<string, string>>;
}

const optional = <T>(arb: fc.Arbitrary<T>, freq = 60) => fc.option(arb, { nil: undefined, freq });

export function cniEnv(o: EnvOptions): fc.Arbitrary<Record<string, string | undefined>> {
  return fc
    .record({
      CNI_CONTAINERID: optional(containerId),
      CNI_NETNS: optional(often(o.netns, o.badNetns, 40)),
      CNI_IFNAME: optional(ifName),
      CNI_PATH: optional(often(fc.constant(o.cniPath), fc.constantFrom('', ':', '/nonexistent', `${o.cniPath}:/nonexistent`), 40)),
      CNI_ARGS: cniArgs({ ip: o.ip }),
      CNI_TS_LOG_LEVEL: fc.option(fc.constantFrom('debug', 'info', 'error', 'silent', 'bogus'), { nil: undefined, freq: 4 }),
      extra: o.extra ?? fc.constant({}),
    })
    .map(({ extra, ...env }) => ({ ...env, ...extra }));
}

export const command: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 24, arbitrary: fc.constant('ADD') },
  { weight: 3, arbitrary: fc.constant('DEL') },
  { weight: 3, arbitrary: fc.constant('CHECK') },
  { weight: 2, arbitrary: fc.constant('GC') },
  { weight: 2, arbitrary: fc.constant('STATUS') },
  { weight: 1, arbitrary: fc.constant('VERSION') },
  { weight: 1, arbitrary: fc.constantFrom('add', 'DELETE', '', 'UPDATE', ' ADD') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** cni.dev/valid-attachments for GC, sometimes naming the container, sometimes junk. */
export function gcAttachments(id: string | undefined, ifname: string | undefined): fc.Arbitrary<unknown> {
  return often<unknown>(
    fc.array(
      fc.oneof(fc.constant({ containerID: id, ifname }), fc.record({ containerID: containerId, ifname: ifName })),
      { maxLength: 3 },
    ),
    junk,
    6,
  );
}

export { version };
