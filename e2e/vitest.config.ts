// The e2e suite: needs root (it creates network namespaces) and the built executables (turbo's `test` depends on
// the plugins' `build`). Cells run concurrently in a bounded pool; every cell cleans up after itself, and the global
// setup sweeps whatever a crashed run left under its tag.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';
import TableReporter from './harness/table-reporter.ts';

export default mergeConfig(shared, defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'reliability/**/*.test.ts'],
    globalSetup: ['./harness/global-setup.ts'],
    reporters: ['default', new TableReporter()],
    // One test file at a time, cells within it concurrently: 3 cells keep 2 cores busy while others wait on pings.
    fileParallelism: false,
    maxConcurrency: Number(process.env.CNI_TS_E2E_CONCURRENCY ?? 3),
    testTimeout: 120_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
  },
}));
