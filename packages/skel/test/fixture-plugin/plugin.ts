// A small plugin built on skel, used by skel's own tests (in-process and bundled as a real executable).
// ADD returns, in order of preference: the delegate's result when ipam.type is set, the prevResult (a chained
// plugin that changes nothing), the config's `result` key, or one fixed IPv4 address.
import * as z from 'zod/mini';
import { CniError, PluginConf, Rollback, definePlugin, parseResult, type Result } from '../../src/index.ts';

export const FixtureConf = z.extend(PluginConf, {
  /** a result (any version's shape) for ADD to return */
  result: z.optional(z.looseObject({})),
  /** make every verb fail with this CNI error */
  fail: z.optional(z.object({ code: z.int(), msg: z.string(), details: z.optional(z.string()) })),
  /** make every verb throw a plain Error with this message */
  throwPlain: z.optional(z.string()),
  mtu: z.optional(z.int().check(z.minimum(68), z.maximum(65535))),
  /** ADD fails with this message after the IPAM delegate succeeded (exercises the rollback) */
  failAfterIpam: z.optional(z.string()),
});
export type FixtureConf = z.output<typeof FixtureConf>;

const fixed: Result = {
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/fixture' }],
  ips: [{ address: '10.201.0.2/16', gateway: '10.201.0.1', interface: 0 }],
};

function maybeFail(conf: FixtureConf): void {
  if (conf.fail) throw new CniError(conf.fail.code, conf.fail.msg, conf.fail.details);
  if (conf.throwPlain !== undefined) throw new Error(conf.throwPlain);
}

export const fixturePlugin = definePlugin({
  name: 'skel-fixture',
  version: 'v0.0.0-test',
  config: FixtureConf,
  async add({ conf, prevResult, delegate, log, cniVersion }) {
    maybeFail(conf);
    await using undo = new Rollback(log);
    const ipamType = conf.ipam?.type;
    let result: Result;
    if (ipamType) {
      result = await delegate.add(ipamType);
      undo.push(() => delegate.del(ipamType));
      if (conf.failAfterIpam !== undefined) throw new CniError(100, conf.failAfterIpam);
    } else if (prevResult) result = prevResult;
    else if (conf.result) result = parseResult(conf.result, cniVersion);
    else result = fixed;
    undo.commit();
    return result;
  },
  async del({ conf, delegate }) {
    maybeFail(conf);
    if (conf.ipam?.type) await delegate.del(conf.ipam.type);
  },
  async check({ conf, delegate }) {
    maybeFail(conf);
    if (conf.ipam?.type) await delegate.check(conf.ipam.type);
  },
  async status({ conf, delegate }) {
    maybeFail(conf);
    if (conf.ipam?.type) await delegate.status(conf.ipam.type);
  },
  async gc({ conf, delegate, validAttachments, log }) {
    maybeFail(conf);
    log.info('gc', { keep: validAttachments.length });
    if (conf.ipam?.type) await delegate.gc(conf.ipam.type);
  },
});
