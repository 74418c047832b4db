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
    // One test file at a time, cells within it concurrently. A cell mostly waits (plugin start-up, the bridge port
    // coming up, pings), so 4 at a time on 2 cores: the 168 matrix cells took 110 s at 4, about the same at 6, and
    // 65-80 s at 10 on a loaded machine; 4 keeps headroom for everything else running (see README).
    fileParallelism: false,
    maxConcurrency: Number(process.env.CNI_TS_E2E_CONCURRENCY ?? 4),
    testTimeout: 120_000,
    hookTimeout: 60_000,
    passWithNoTests: false,
  },
}));
