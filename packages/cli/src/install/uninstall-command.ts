// `cni-ts uninstall [--dest DIR] [--force] [--dry-run] [plugin ...]`
import { parseArgs } from 'node:util';
import { DEFAULT_DEST, destinationOptions, nothingChanged, processIo, type IoStreams } from './command-line.ts';
import { withDestinationLock } from './destination-lock.ts';
import { readManifest } from './manifest.ts';
import { applyUninstall, planUninstall } from './uninstall.ts';

const HELP = `usage: cni-ts uninstall [options] [plugin ...]
Removes plugins cni-ts installed (all of them when none are named), and the support files no plugin needs any more.
  --dest DIR     destination directory (default ${DEFAULT_DEST})
  --force        also remove plugins that changed since cni-ts installed them
  --dry-run      print what would be done, change nothing
`;

export async function run(argv: string[], io: IoStreams = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: destinationOptions,
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const dest = values.dest;
  return withDestinationLock(dest, () => {
    const manifest = readManifest(dest);
    const plan = planUninstall(dest, manifest, positionals, values.force);
    if (plan.conflicts.length > 0) {
      io.stderr(nothingChanged('uninstall', plan.conflicts));
      return 1;
    }
    if (plan.remove.length === 0 && plan.gone.length === 0) {
      io.stdout(`nothing to uninstall in ${dest}\n`);
      return 0;
    }
    if (values['dry-run']) {
      io.stdout(plan.remove.map((n) => `would remove ${dest}/${n}\n`).join(''));
      return 0;
    }
    io.stdout(`${applyUninstall(dest, manifest, plan).join('\n')}\n`);
    return 0;
  });
}
