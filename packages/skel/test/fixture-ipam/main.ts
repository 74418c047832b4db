// The executable entry of the IPAM fixture (bundled by test/embedded-runner.test.ts).
import { runPlugin } from '../../src/index.ts';
import { fixtureIpam } from './plugin.ts';

void runPlugin(fixtureIpam).then((code) => {
  process.exitCode = code;
});
