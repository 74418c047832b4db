// Load-time measurement: node start-up + loading the package (koffi native module, codecs) + one handle and one
// request, as a plugin does. Compared with load-empty.ts by bench.mjs.
import { openHandle } from '../src/index.ts';

void (async () => {
  await using h = await openHandle();
  await h.link.get({ index: 1 });
})();
