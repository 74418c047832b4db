// After a red `turbo run`, prints what each failed task said about its failures, last, so that a log
// cut to its tail (as CI reports are) still shows why. Turbo keeps every task's output in
// <package>/.turbo/turbo-<task>.log; with grouped output a failed task's lines can sit thousands of
// lines above the end of the run.
//   usage: node scripts/print-failures.mjs <file holding turbo's output>
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const ansi = /\x1b\[[0-9;]*m/g;
const turboOutput = readFileSync(process.argv[2], "utf8").replace(ansi, "");
const failedLine = turboOutput.split("\n").find((line) => /^\s*Failed:\s/.test(line)) ?? "";
const failedTasks = failedLine.replace(/^\s*Failed:\s*/, "").split(",").map((s) => s.trim()).filter(Boolean);

const packageDirs = new Map();
for (const group of ["packages", "plugins"]) {
  for (const name of readdirSync(join(root, group))) packageDirs.set(readName(join(root, group, name)), join(root, group, name));
}
packageDirs.set(readName(join(root, "e2e")), join(root, "e2e"));

const keptLines = 150;
for (const task of failedTasks) {
  const [pkg, verb] = task.split("#");
  const log = join(packageDirs.get(pkg) ?? "", ".turbo", `turbo-${verb}.log`);
  if (!existsSync(log)) continue;
  const lines = readFileSync(log, "utf8").replace(ansi, "").split("\n");
  // vitest prints its failure details from this banner on; other tools' errors are at the end.
  const start = lines.findIndex((line) => /Failed Tests \d+|Failed Suites \d+|Unhandled Errors?/.test(line));
  const shown = start >= 0 ? lines.slice(start, start + keptLines) : lines.slice(-keptLines);
  process.stdout.write(`\n===== ${task}: why it failed (${log}) =====\n${shown.join("\n")}\n`);
}

function readName(dir) {
  const file = join(dir, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).name : undefined;
}
