// After a red `turbo run`, prints what each failed task said about its failures, last, so that a log cut to its
// tail (as CI reports are) still shows why: with grouped output a failed task's lines can sit thousands of lines
// above the end of the run. Reads turbo's captured output, where every task line starts with "<package>:<task>: ".
//   usage: node scripts/print-failures.mjs <file holding turbo's output>
//          node scripts/print-failures.mjs <file holding one command's output> <label>   (not run through turbo)
import { readFileSync } from "node:fs";

const ansi = /\x1b\[[0-9;]*m/g;
const lines = readFileSync(process.argv[2], "utf8").replace(ansi, "").split("\n");
const keptLines = 150;

function printWhy(label, own) {
  // vitest prints its failure details from this banner on; other tools' errors are at the end.
  const start = own.findIndex((line) => /Failed Tests \d+|Failed Suites \d+|Unhandled Errors?/.test(line));
  const shown = start >= 0 ? own.slice(start, start + keptLines) : own.slice(-keptLines);
  process.stdout.write(`\n===== ${label}: why it failed =====\n${shown.join("\n")}\n`);
}

if (process.argv[3] !== undefined) {
  printWhy(process.argv[3], lines);
} else {
  const failedLine = lines.find((line) => /^\s*Failed:\s/.test(line)) ?? "";
  const failedTasks = failedLine.replace(/^\s*Failed:\s*/, "").split(",").map((s) => s.trim()).filter(Boolean);
  for (const task of failedTasks) {
    const prefix = `${task.replace("#", ":")}: `;
    printWhy(task, lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length)));
  }
}
