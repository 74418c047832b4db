// Acceptance item 8 (regression guard): the shared cni-bench checks (unique IPs, host-local state, addresses in
// the namespaces, bridge ports, pings, CHECK, cleanup, idempotent DEL; one POSTROUTING rule per container with
// --ipmasq) pass for our bridge + host-local. A smaller run than the acceptance command
// (`cni-bench dist/bin`, K=40 at concurrency 1, 8, 32) to keep the suite's time reasonable on 2 cores.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { cniPath } from './fixtures/cni.ts';

const CNI_BENCH = '/work/shared/bench/cni-bench';

test.each([[[]], [['--ipmasq']]])('cni-bench %j passes every check', async (extra) => {
  const args = [...extra, '-k', '8', '-c', '1,8', '--ref-samples', '2', cniPath()];
  const { stdout } = await promisify(execFile)(CNI_BENCH, args, { maxBuffer: 16 << 20 });
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { pass: boolean; checksPassed: number; checksTotal: number; failures: unknown[] };
  expect(summary.failures).toEqual([]);
  expect(summary.pass).toBe(true);
  expect(summary.checksPassed).toBe(summary.checksTotal);
}, 300_000);
