// The reliability suites outside the default test command (issue 10): `pnpm fuzz` (10,000 cases per plugin),
// `pnpm faults` (SIGKILL trials, corrupt state, a killed dnsmasq, a held xtables lock) and `pnpm soak`
// (2,000 ADD/DEL cycles). The default `vitest run` of this package runs the 500-case fuzz slice and the
// security tests (reliability/**/*.test.ts); the long suites are reliability/**/*.long.ts.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({
  root: new URL('..', import.meta.url).pathname,
  test: {
    include: ['reliability/**/*.test.ts', 'reliability/**/*.long.ts'],
    globalSetup: ['./harness/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
  },
}));
