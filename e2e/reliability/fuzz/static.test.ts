// Issue 10 item 1 for static: generated configs, environments (CNI_ARGS IP/GATEWAY among them), runtimeConfig and
// prevResults. static keeps no state, so the property is the outcome alone: a valid result or a valid CNI error.
import * as fc from 'fast-check';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';
import { command, cniEnv } from './arbitraries/cni-env.ts';
import { staticCidr, staticConfig } from './arbitraries/static.ts';
import { generatedCase, type FuzzCase } from './case.ts';
import { checkOwn, fuzz, fuzzRuns, via } from './property.ts';

const RUNS = fuzzRuns(500);

it(`static: ${RUNS} generated cases end in a valid result or CNI error`, async () => {
  await using world = await World.create({ kernel: false });
  const cases: fc.Arbitrary<FuzzCase> = fc
    .record({
      conf: staticConfig(`fz-${world.suffix}`),
      env: cniEnv({
        netns: fc.constant('/var/run/netns/cni-ts-fuzz-none'),
        badNetns: fc.constantFrom('', '/proc/self/ns/net', world.plainFile),
        cniPath: world.binDir,
        ip: staticCidr,
      }),
      command,
      via,
      checkOwn,
      followUp: fc.option(fc.constantFrom('CHECK', 'DEL', 'GC', 'STATUS'), { nil: undefined, freq: 3 }),
    })
    .map((d) => generatedCase(d, { plugin: 'static', scope: {}, followUp: d.followUp && { command: d.followUp, cniVersion: '1.1.0' } }));
  const tally = await fuzz('static', world, cases, RUNS);
  expect(tally.failed, tally.describeFailures()).toBe(0);
  expect(tally.count('ADD ok')).toBeGreaterThan(tally.count('ADD ') * 0.15);
  expect(tally.exec).toBeGreaterThan(0);
}, 120_000 + RUNS * 200);
