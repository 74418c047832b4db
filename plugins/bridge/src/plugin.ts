// The bridge plugin: its config schema and one handler per verb.
import { definePlugin } from '@cni-ts/skel';
import { cmdAdd } from './add.ts';
import { cmdCheck } from './check.ts';
import { BridgeConf } from './config.ts';
import { cmdDel } from './del.ts';
import { cmdGc } from './gc.ts';
import { cmdStatus } from './status.ts';

export const bridgePlugin = definePlugin({
  name: 'bridge',
  // links and addresses (net_admin), entering the container's namespace (sys_admin): refused at once without them
  capabilities: ['net_admin', 'sys_admin'],
  config: BridgeConf,
  add: cmdAdd,
  del: cmdDel,
  check: cmdCheck,
  status: cmdStatus,
  gc: cmdGc,
});
