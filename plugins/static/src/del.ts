// DEL: nothing to undo (static keeps no state), so it always succeeds, whatever the config says.
import type { DelContext } from '@cni-ts/skel';
import type { SkelConf } from './config.ts';

export async function cmdDel(_ctx: DelContext<SkelConf>): Promise<void> {}
