// `cni-ts install [--dest DIR] [--from DIR] [--node PATH] [--force] [--dry-run] [plugin ...]`
import { accessSync, constants, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DEST, destinationOptions, nothingChanged, processIo, type IoStreams } from './command-line.ts';
import { withDestinationLock } from './destination-lock.ts';
import { applyInstall, planInstall } from './install.ts';
import { readManifest } from './manifest.ts';
import { checkShebangInterpreter } from './shebang.ts';
import { defaultBuildDir, embeddedPlugins, SEA_BINARY_NAME } from './self.ts';
import { readBuildDir, readSelf, selectItems, type InstallSource } from './source.ts';

const HELP = `usage: cni-ts install [options] [plugin ...]
Installs the plugins (all when none are named) into the destination, atomically.
  --dest DIR     destination directory (default ${DEFAULT_DEST})
  --from DIR     build output to install from (default: dist/bin beside this cni-ts, or this single executable)
  --node PATH    node binary the installed plugins run with (default: the node running this command)
  --force        overwrite files cni-ts did not install, or that changed since it did
  --dry-run      print what would be done, change nothing
`;

function checkNode(node: string): string {
  checkShebangInterpreter(node);
  try {
    accessSync(node, constants.X_OK);
  } catch {
    throw new Error(`--node ${node} is not an executable file`);
  }
  return node;
}

function sourceFor(values: { from?: string | undefined; node?: string | undefined }): InstallSource {
  const embedded = embeddedPlugins();
  if (values.from === undefined && embedded) return readSelf(process.execPath, SEA_BINARY_NAME, embedded);
  // A single executable has no node to offer the bundles: their interpreter must then be named.
  const node = values.node ?? (embedded ? undefined : process.execPath);
  return readBuildDir(values.from ?? defaultBuildDir(), { node: node === undefined ? undefined : checkNode(node) });
}

export async function run(argv: string[], io: IoStreams = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...destinationOptions, from: { type: 'string' }, node: { type: 'string' } },
  });
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const source = sourceFor(values);
  const items = selectItems(source, positionals);
  mkdirSync(values.dest, { recursive: true, mode: 0o755 });
  const dest = values.dest;
  return withDestinationLock(dest, () => {
    const manifest = readManifest(dest);
    const plan = planInstall(dest, manifest, items, values.force);
    if (plan.conflicts.length > 0) {
      io.stderr(nothingChanged('install', plan.conflicts));
      return 1;
    }
    if (values['dry-run']) {
      io.stdout(plan.steps.map((s) => `would be ${s.status.padEnd(9)} ${dest}/${s.item.name}\n`).join(''));
      return 0;
    }
    const report = applyInstall(dest, manifest, plan);
    const runWith = source.interpreter === undefined ? '' : `; plugins run with ${source.interpreter}`;
    io.stdout(`${report.join('\n')}\nfrom ${source.origin}${runWith}\n`);
    return 0;
  });
}
