// `cni-ts uninstall [--dest DIR] [--force] [--dry-run] [plugin ...]`
import { parseArgs } from 'node:util';
import { DEFAULT_DEST, type IoStreams } from './install-command.ts';
import { readManifest } from './manifest.ts';
import { applyUninstall, planUninstall } from './uninstall.ts';

const HELP = `usage: cni-ts uninstall [options] [plugin ...]
Removes plugins cni-ts installed (all of them when none are named), and the support files no plugin needs any more.
  --dest DIR     destination directory (default ${DEFAULT_DEST})
  --force        also remove plugins that changed since cni-ts installed them
  --dry-run      print what would be done, change nothing
`;

const processIo: IoStreams = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export async function run(argv: string[], io: IoStreams = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dest: { type: 'string', default: DEFAULT_DEST },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const manifest = readManifest(values.dest);
  const plan = planUninstall(values.dest, manifest, positionals, values.force);
  if (plan.conflicts.length > 0) {
    io.stderr(`cni-ts uninstall: nothing was changed:\n${plan.conflicts.map((c) => `  ${c}\n`).join('')}`);
    return 1;
  }
  if (plan.remove.length === 0 && plan.gone.length === 0) {
    io.stdout(`nothing to uninstall in ${values.dest}\n`);
    return 0;
  }
  if (values['dry-run']) {
    io.stdout(plan.remove.map((n) => `would remove ${values.dest}/${n}\n`).join(''));
    return 0;
  }
  io.stdout(`${applyUninstall(values.dest, manifest, plan).join('\n')}\n`);
  return 0;
}
