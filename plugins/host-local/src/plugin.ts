// The host-local plugin definition. skel validates only the network name; each verb loads the rest (config.ts).
import { definePlugin } from '@cni-ts/skel';
import * as z from 'zod/mini';
import type { SkelConf } from './config.ts';
import { cmdAdd } from './add.ts';
import { cmdCheck } from './check.ts';
import { cmdDel } from './del.ts';
import { cmdGc } from './gc.ts';
import { cmdStatus } from './status.ts';

export const hostLocal = definePlugin({
  name: 'host-local',
  config: z.looseObject({ name: z.string() }) as z.ZodMiniType<SkelConf>,
  add: cmdAdd,
  del: cmdDel,
  check: cmdCheck,
  status: cmdStatus,
  gc: cmdGc,
});
