// A small IPAM plugin on skel for the in-process delegation tests: run as a bundled executable (exec) and as an
// embedded definition (in-process), it must give the same answers. Its result echoes what it was given (the
// command, ids, an env variable, the stdin length), so a difference in what either path passes shows up.
import * as z from 'zod/mini';
import { CniError, PluginConf, definePlugin, type Result } from '../../src/index.ts';

const Ipam = z.looseObject({
  type: z.string(),
  address: z._default(z.string(), '10.9.0.2/24'),
  /** every verb fails with this CNI error */
  fail: z.optional(z.object({ code: z.int(), msg: z.string(), details: z.optional(z.string()) })),
  /** every verb throws a plain Error with this message */
  throwPlain: z.optional(z.string()),
  /** logged at warn level (stderr) before answering */
  say: z.optional(z.string()),
  /** ADD waits this long first */
  sleepMs: z.optional(z.int()),
  /** a config error names this field */
  mtu: z.optional(z.int().check(z.minimum(68))),
});
export const FixtureIpamConf = z.extend(PluginConf, { ipam: Ipam, secretToken: z.optional(z.string()) });
type FixtureIpamConf = z.output<typeof FixtureIpamConf>;

async function common(conf: FixtureIpamConf, log: { warn(msg: string): void }): Promise<void> {
  if (conf.ipam.say !== undefined) log.warn(conf.ipam.say);
  if (conf.ipam.fail) throw new CniError(conf.ipam.fail.code, conf.ipam.fail.msg, conf.ipam.fail.details);
  if (conf.ipam.throwPlain !== undefined) throw new Error(conf.ipam.throwPlain);
}

export const fixtureIpam = definePlugin({
  name: 'fixture-ipam',
  config: FixtureIpamConf,
  async add({ conf, log, command, containerId, ifName, env, stdin }): Promise<Result> {
    if (conf.ipam.sleepMs !== undefined) await new Promise((r) => setTimeout(r, conf.ipam.sleepMs));
    await common(conf, log);
    return {
      ips: [{ address: conf.ipam.address, gateway: '10.9.0.1' }],
      dns: { search: [command, containerId, ifName, env.FIXTURE_ENV ?? '-', String(stdin.length)] },
    };
  },
  del: async ({ conf, log }) => common(conf, log),
  check: async ({ conf, log }) => common(conf, log),
  status: async ({ conf, log }) => common(conf, log),
  gc: async ({ conf, log }) => common(conf, log),
});
