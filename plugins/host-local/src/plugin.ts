// The host-local plugin definition. skel validates only the network name; each verb loads the rest (config.ts).
// Each verb's module is loaded when that verb runs (as in dnsmasq-ipam): a process serves one verb, so VERSION
// and the other verbs do not initialise modules they never use.
import { definePlugin } from '@cni-ts/skel';
import * as z from 'zod/mini';
import type { SkelConf } from './config.ts';

export const hostLocal = definePlugin({
  name: 'host-local',
  config: z.looseObject({ name: z.string() }) as z.ZodMiniType<SkelConf>,
  add: async (ctx) => (await import('./add.ts')).cmdAdd(ctx),
  del: async (ctx) => (await import('./del.ts')).cmdDel(ctx),
  check: async (ctx) => (await import('./check.ts')).cmdCheck(ctx),
  status: async (ctx) => (await import('./status.ts')).cmdStatus(ctx),
  gc: async (ctx) => (await import('./gc.ts')).cmdGc(ctx),
});
