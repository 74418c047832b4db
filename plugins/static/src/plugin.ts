// The static plugin definition. skel validates only the network name; ADD and CHECK load the rest (config.ts).
// STATUS and GC are left to skel's default (success): there is no state and nothing to become unavailable.
import { definePlugin } from '@cni-ts/skel';
import * as z from 'zod/mini';
import { cmdAdd } from './add.ts';
import { cmdCheck } from './check.ts';
import type { SkelConf } from './config.ts';
import { cmdDel } from './del.ts';

export const staticIpam = definePlugin({
  name: 'static',
  config: z.looseObject({ name: z.string() }) as z.ZodMiniType<SkelConf>,
  add: cmdAdd,
  del: cmdDel,
  check: cmdCheck,
});
