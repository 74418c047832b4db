// The host-local executable. CJS bundle: no top-level await.
import { runPlugin } from '@cni-ts/skel';
import { hostLocal } from './plugin.ts';

void runPlugin(hostLocal).then((code) => {
  process.exitCode = code;
});
