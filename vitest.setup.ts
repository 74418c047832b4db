// stdout is the CNI protocol: a stray console call in code under test would corrupt it, so any
// console output during a test fails that test.
import { afterEach, beforeEach, vi } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
let calls: string[] = [];

beforeEach(() => {
  calls = [];
  for (const m of methods) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      calls.push(`console.${m}(${args.map(String).join(' ')})`);
    });
  }
});

afterEach(() => {
  if (calls.length > 0) throw new Error(`console output during test:\n${calls.join('\n')}`);
});
