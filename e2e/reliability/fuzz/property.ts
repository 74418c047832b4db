// Runs a fuzz suite: N generated cases (CNI_TS_FUZZ_RUNS; `pnpm fuzz` runs 10,000 per plugin; without it, the slice
// in the default test command: 500 for host-local and static, 200 for the kernel plugins, ~25 s in all), a share
// of them through the real executable (CNI_TS_FUZZ_EXEC_SHARE, 5 %). Every case is judged; failures are collected rather than shrunk (a kernel case is not independent of the
// ones before it), and the seed is printed so a run can be replayed with CNI_TS_FUZZ_SEED.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { runCase, Tally, type FuzzCase } from './case.ts';
import type { World } from '../harness/world.ts';

/** Cases for one suite: CNI_TS_FUZZ_RUNS when set, else the suite's share of the default slice. */
export const fuzzRuns = (sliceDefault: number): number => Number(process.env.CNI_TS_FUZZ_RUNS ?? sliceDefault);
export const EXEC_SHARE = Number(process.env.CNI_TS_FUZZ_EXEC_SHARE ?? 0.05);

/** 'exec' for about EXEC_SHARE of the cases. */
export const via: fc.Arbitrary<'in-process' | 'exec'> = fc.noBias(fc.integer({ min: 0, max: 9999 })).map((x) => (x < EXEC_SHARE * 10_000 ? 'exec' : 'in-process'));

/** CHECK with the ADD's own result in 3 cases of 4. */
export const checkOwn: fc.Arbitrary<boolean> = fc.constantFrom(true, true, true, false);

/** Now and then (1 case in `freq`) a follow-up verb after a successful ADD, with the config at one of `versions`. */
export const followUpVerb = (versions: readonly string[], freq: number): fc.Arbitrary<[string, string] | undefined> =>
  fc.option(fc.tuple(fc.constantFrom('CHECK', 'GC', 'STATUS', 'DEL'), fc.constantFrom(...versions)), { nil: undefined, freq });

/** Where the figures of each run go (RELIABILITY.md quotes them). */
export const REPORT_DIR = process.env.CNI_TS_RELIABILITY_REPORTS ?? join(tmpdir(), 'cni-ts-reliability');

export interface FuzzOptions {
  /** Puts back what a case may leave by design (not a leak), so it cannot steer the cases after it. */
  afterCase?: () => Promise<void>;
}

export async function fuzz(name: string, world: World, cases: fc.Arbitrary<FuzzCase>, runs: number, opts: FuzzOptions = {}): Promise<Tally> {
  const tally = new Tally();
  const seed = process.env.CNI_TS_FUZZ_SEED ? Number(process.env.CNI_TS_FUZZ_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(cases, async (c) => {
      const r = await runCase(world, c);
      tally.add(c, r);
      tally.debug(c, r);
      await opts.afterCase?.();
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  const report = { suite: name, seed, seconds: Math.round((Date.now() - started) / 100) / 10, ...tally.summary() };
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `fuzz-${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`fuzz ${name}: ${JSON.stringify(report)}\n`);
  return tally;
}
