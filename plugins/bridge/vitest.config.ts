import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The kernel tests run the bundled plugin as a runtime would; the global setup bundles it once per run.
export default mergeConfig(
  shared,
  defineConfig({ test: { globalSetup: [fileURLToPath(new URL('./test/fixtures/global-setup.ts', import.meta.url))] } }),
);
