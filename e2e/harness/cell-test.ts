// Registers cells as concurrent vitest tests (the pool size is vitest's maxConcurrency, see vitest.config.ts),
// tagging each with its dimensions for the table reporter.
import { describe, it } from 'vitest';
import type { Cell } from '../matrix.ts';
import { runCell } from './scenario.ts';

/** CNI_TS_E2E_CELLS="a,b": only cells whose id contains one of these (for running one cell by hand). */
function selected(cells: readonly Cell[]): readonly Cell[] {
  const wanted = (process.env.CNI_TS_E2E_CELLS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.length === 0 ? cells : cells.filter((c) => wanted.some((w) => c.id.includes(w)));
}

export function cellTests(group: string, cells: readonly Cell[], body: (cell: Cell) => Promise<void> = runCell): void {
  describe.concurrent(group, () => {
    for (const cell of selected(cells)) {
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
