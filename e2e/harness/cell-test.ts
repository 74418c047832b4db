// Registers cells as concurrent vitest tests (the pool size is vitest's maxConcurrency, see vitest.config.ts),
// tagging each with its dimensions for the table reporter.
import { describe, it } from 'vitest';
import type { Cell } from '../matrix.ts';
import { runCell } from './scenario.ts';

export function cellTests(group: string, cells: readonly Cell[], body: (cell: Cell) => Promise<void> = runCell): void {
  describe.concurrent(group, () => {
    for (const cell of cells) {
      it(cell.id, async ({ task }) => {
        task.meta.cell = {
          group,
          plugin: cell.ipam === 'none' ? 'bridge' : `bridge+${cell.ipam}`,
          version: cell.version,
          family: cell.family,
          masq: cell.masq,
          impl: `${cell.bridgeImpl}/${cell.ipam === 'none' ? '-' : cell.ipamImpl}`,
        };
        await body(cell);
      });
    }
  });
}
