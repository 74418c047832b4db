import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Shared by every package: `vitest run` in a package picks up its own vitest.config.ts, which re-exports this.
export default defineConfig({
  test: {
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    globalSetup: [fileURLToPath(new URL('./vitest.netns-sweep.ts', import.meta.url))],
    restoreMocks: true,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
