// Prints the e2e cells as a table (one row per cell, PASS/FAIL and why) after vitest's own report.
// Cells are the tests whose name starts with a plugin chain ("bridge ..."); they carry their dimensions in meta.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

declare module 'vitest' {
  interface TaskMeta {
    cell?: { group: string; plugin: string; version: string; family: string; masq: string; impl: string };
  }
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export default class TableReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows: string[][] = [];
    let failed = 0;
    for (const mod of modules) {
      for (const test of mod.children.allTests()) {
        const cell = (test as TestCase).meta().cell;
        if (!cell) continue;
        const r = test.result();
        const status = r.state === 'passed' ? 'PASS' : r.state === 'failed' ? 'FAIL' : r.state.toUpperCase();
        if (status !== 'PASS') failed++;
        const why = r.state === 'failed' ? (r.errors[0]?.message ?? '').split('\n')[0]!.slice(0, 110) : '';
        const ms = test.diagnostic()?.duration;
        rows.push([cell.group, cell.plugin, cell.version, cell.family, cell.masq, cell.impl, status, ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`, why]);
      }
    }
    if (rows.length === 0) return;
    const head = ['group', 'plugin', 'version', 'family', 'masq', 'impl', 'result', 'time', 'failure'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === head.length - 1 ? 0 : r[i]!.length))));
    const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd();
    const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line),
      `${rows.length} cells: ${rows.length - failed} passed, ${failed} failed`];
    process.stdout.write(`\n${out.join('\n')}\n`);
  }
}
