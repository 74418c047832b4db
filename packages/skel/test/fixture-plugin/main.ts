// The executable entry of the fixture plugin (bundled by skel's process tests and the start-up benchmark).
import { runPlugin } from '../../src/index.ts';
import { fixturePlugin } from './plugin.ts';

void runPlugin(fixturePlugin).then((code) => {
  process.exitCode = code;
});
