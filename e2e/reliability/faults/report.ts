// Figures of the fault and soak runs, written where the fuzz reports go (RELIABILITY.md quotes them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_DIR } from '../fuzz/property.ts';

export function writeReport(name: string, figures: Record<string, unknown>): void {
  mkdirSync(REPORT_DIR, { recursive: true });
  writeFileSync(join(REPORT_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  process.stderr.write(`${name}: ${JSON.stringify(figures)}\n`);
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
