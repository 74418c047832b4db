// Issue 10 item 1 for dnsmasq-ipam: bridge + dnsmasq-ipam (the DHCP exchange against a real dnsmasq the plugin
// starts in the throwaway host namespace) and dnsmasq-ipam called alone. After every case: no attachment record,
// no lease, no veth, nothing but lo in the container namespace.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';
import { command, cniEnv } from './arbitraries/cni-env.ts';
import { dnsmasqConfig, dnsmasqRequestedIp } from './arbitraries/dnsmasq-ipam.ts';
import { generatedCase, type FuzzCase } from './case.ts';
import { checkOwn, followUpVerb, fuzz, fuzzRuns, via } from './property.ts';

const RUNS = fuzzRuns(200);

it(`dnsmasq-ipam: ${RUNS} generated cases end in a valid result or CNI error and leave no lease, record or link`, async () => {
  await using world = await World.create({ kernel: true });
  const w = { network: `fz-${world.suffix}`, runDir: world.runDir, bridge: `fzd${world.suffix}` };
  const cases: fc.Arbitrary<FuzzCase> = fc
    .record({
      conf: dnsmasqConfig(w),
      env: cniEnv({
        netns: fc.constant(world.container!.path),
        badNetns: fc.constantFrom('', '/run/netns/cni-ts-fuzz-gone', world.plainFile, world.host!.path),
        cniPath: world.binDir,
        ip: dnsmasqRequestedIp,
      }),
      command,
      via,
      checkOwn,
      standalone: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      followUp: followUpVerb(['1.1.0', '1.0.0', '0.4.0'], 4),
    })
    .map((d) =>
      generatedCase(d, {
        plugin: d.standalone ? 'dnsmasq-ipam' : 'bridge',
        scope: { dnsmasq: true, kernel: true },
        followUp: d.followUp && { command: d.followUp[0], cniVersion: d.followUp[1] },
      }),
    );
  // A generated network name that is valid (say "u_z") leases, is DELeted, and its dnsmasq stays on the bridge, as
  // designed (only GC stops it); every later ADD of the world's network would then be refused with code 7.
  const afterCase = () => stopDnsmasqsExcept(world.runDir, w.network);
  const tally = await fuzz('dnsmasq-ipam', world, cases, RUNS, { afterCase });
  expect(tally.failed, tally.describeFailures()).toBe(0);
  // Not vacuous: real leases (the share drops when a loaded machine delays DHCP replies past the short timeouts).
  expect(tally.count('ADD ok')).toBeGreaterThan(tally.count('ADD ') * 0.05);
  expect(tally.exec).toBeGreaterThan(0);
}, 180_000 + RUNS * 1000);

async function stopDnsmasqsExcept(runDir: string, keep: string): Promise<void> {
  for (const network of readdirSync(runDir)) {
    if (network === keep) continue;
    const pid = Number(readOrEmpty(join(runDir, network, 'dnsmasq.pid')).trim() || 'NaN');
    if (Number.isSafeInteger(pid) && pid > 1) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      for (let waited = 0; waited < 5000 && isRunning(pid); waited += 20) await new Promise((r) => setTimeout(r, 20));
    }
    rmSync(join(runDir, network), { recursive: true, force: true });
  }
}

function readOrEmpty(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Alive and not a zombie (a daemon's zombie lingers until init reaps it, but no longer holds the bridge). */
function isRunning(pid: number): boolean {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  return stat !== '' && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
