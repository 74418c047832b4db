// The static plugin definition. skel validates only the network name; ADD and CHECK load the rest (config.ts).
// STATUS and GC are left to skel's default (success): there is no state and nothing to become unavailable.
// Each verb's module is loaded when that verb runs (as in dnsmasq-ipam): VERSION and DEL skip ADD's code.
import { definePlugin } from '@cni-ts/skel';
import * as z from 'zod/mini';
import type { SkelConf } from './config.ts';

export const staticIpam = definePlugin({
  name: 'static',
  config: z.looseObject({ name: z.string() }) as z.ZodMiniType<SkelConf>,
  add: async (ctx) => (await import('./add.ts')).cmdAdd(ctx),
  del: async (ctx) => (await import('./del.ts')).cmdDel(ctx),
  check: async (ctx) => (await import('./check.ts')).cmdCheck(ctx),
});
