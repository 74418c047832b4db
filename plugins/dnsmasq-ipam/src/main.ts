// The executable entry (bundled to dist/dnsmasq-ipam). No top-level await: the bundle is CommonJS.
import { runPlugin } from '@cni-ts/skel';
import { createPlugin } from './plugin.ts';

void runPlugin(createPlugin()).then((code) => {
  process.exitCode = code;
});
