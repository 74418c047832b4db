// The static executable. CJS bundle: no top-level await.
import { runPlugin } from '@cni-ts/skel';
import { staticIpam } from './plugin.ts';

void runPlugin(staticIpam).then((code) => {
  process.exitCode = code;
});
