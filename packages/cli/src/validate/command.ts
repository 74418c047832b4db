// `cni-ts validate <conflist|conf> ...`: every problem in every file, each with its path; exit 1 if any.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pluginSchemas } from './plugin-schemas.ts';
import { validateConfig, type SchemaRegistry } from './validate.ts';

const HELP = `usage: cni-ts validate <file> ...
Checks each network configuration (.conflist, or a single plugin .conf) against the config schemas of the
cni-ts plugins it uses, as the plugins will read it. Prints every problem as "<file>: <path>: <message>".
Exit status: 0 when every file is valid, 1 when any problem was found, 2 on bad usage.
`;

interface IoStreams { stdout: (s: string) => void; stderr: (s: string) => void }
const processIo: IoStreams = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

function readJson(file: string): { json: unknown } | { error: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { error: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export async function run(argv: string[], io: IoStreams = processIo, registry: SchemaRegistry = pluginSchemas()): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length === 0) {
    io.stderr(HELP);
    return 2;
  }
  let failed = 0;
  for (const file of positionals) {
    const read = readJson(file);
    if ('error' in read) {
      io.stdout(`${file}: ${read.error}\n`);
      failed++;
      continue;
    }
    const report = validateConfig(read.json, registry);
    for (const p of report.problems) io.stdout(`${file}: ${p.path}: ${p.message}\n`);
    const unchecked = [...new Set(report.unchecked)];
    const note = unchecked.length > 0 ? `; not cni-ts plugins, not checked: ${unchecked.join(', ')}` : '';
    if (report.problems.length > 0) {
      failed++;
      io.stdout(`${file}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}${note}\n`);
    } else {
      io.stdout(`${file}: ok (checked: ${[...new Set(report.checked)].join(', ') || 'nothing'}${note})\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
