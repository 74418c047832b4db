// The bridge executable. CJS bundle: no top-level await.
import { runPlugin } from '@cni-ts/skel';
import { bridgePlugin } from './plugin.ts';

void runPlugin(bridgePlugin).then((code) => {
  process.exitCode = code;
});
