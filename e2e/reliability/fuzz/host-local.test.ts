// Issue 10 item 1 for host-local: generated configs, environments, CNI_ARGS, runtimeConfig and prevResults.
// Every outcome is a valid result or a valid CNI error, nothing else reaches stdout, no secret is printed, and the
// data directory holds no reservation (nor temporary file) once the case is over, whatever the ADD did.
import * as fc from 'fast-check';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';
import { command, cniEnv, gcAttachments } from './arbitraries/cni-env.ts';
import { hostLocalConfig, requestedIp } from './arbitraries/host-local.ts';
import { generatedCase, type FuzzCase } from './case.ts';
import { checkOwn, followUpVerb, fuzz, fuzzRuns, via } from './property.ts';

const RUNS = fuzzRuns(500);

it(`host-local: ${RUNS} generated cases end in a valid result or CNI error and leave no reservation`, async () => {
  await using world = await World.create({ kernel: false });
  const network = `fz-${world.suffix}`;
  const cases: fc.Arbitrary<FuzzCase> = fc
    .record({
      conf: hostLocalConfig({ network, dataDir: world.dataDir, plainFile: world.plainFile, resolvConf: world.resolvConf }),
      env: cniEnv({
        netns: fc.constant('/var/run/netns/cni-ts-fuzz-none'),
        badNetns: fc.constantFrom('', '/proc/self/ns/net', world.plainFile, '/dev/null'),
        cniPath: world.binDir,
        ip: requestedIp,
      }),
      command,
      via,
      checkOwn,
      followUp: followUpVerb(['1.1.0', '1.0.0', '0.4.0', '0.3.1'], 3),
    })
    .chain((d) =>
      gcAttachments(d.env.CNI_CONTAINERID, d.env.CNI_IFNAME).map((valid) =>
        generatedCase(d, {
          plugin: 'host-local',
          scope: { hostLocal: true },
          followUp: d.followUp && { command: d.followUp[0], cniVersion: d.followUp[1], extra: { 'cni.dev/valid-attachments': valid } },
        }),
      ),
    );
  const tally = await fuzz('host-local', world, cases, RUNS);
  expect(tally.failed, tally.describeFailures()).toBe(0);
  // Not vacuous: a good share of ADDs allocate for real, and the real executable ran too.
  expect(tally.count('ADD ok')).toBeGreaterThan(tally.count('ADD ') * 0.15);
  expect(tally.exec).toBeGreaterThan(0);
}, 120_000 + RUNS * 200);
