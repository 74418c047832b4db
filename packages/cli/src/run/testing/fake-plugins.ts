// Fake plugin executables for the runner's unit tests: tiny sh scripts in a temp CNI_PATH directory that record
// every call (stdin and CNI_* env) and answer from files the test writes. No kernel, no root.
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const allVersions = '["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]';

// ADD prints `<name>.ADD.out` if the test wrote one, else passes prevResult through (an empty result when there is
// none). Any verb fails with `<name>.<VERB>.fail` as its stdout if that file exists.
const script = (dir: string, name: string) => `#!/bin/sh
d='${dir}'; n='${name}'
in=$(cat)
seq=$(printf %03d "$(ls "$d/calls" | wc -l)")
printf '%s' "$in" > "$d/calls/$seq-$n-$CNI_COMMAND.stdin"
env | grep '^CNI_' | sort > "$d/calls/$seq-$n-$CNI_COMMAND.env"
if [ -f "$d/$n.$CNI_COMMAND.fail" ]; then cat "$d/$n.$CNI_COMMAND.fail"; exit 1; fi
case "$CNI_COMMAND" in
  VERSION) if [ -f "$d/$n.VERSION.out" ]; then cat "$d/$n.VERSION.out"; else printf '{"cniVersion":"1.1.0","supportedVersions":${allVersions}}'; fi ;;
  ADD) if [ -f "$d/$n.ADD.out" ]; then cat "$d/$n.ADD.out"; else printf '%s' "$in" | jq -c '.prevResult // {cniVersion: .cniVersion}'; fi ;;
esac
exit 0
`;

export interface FakeCall {
  plugin: string;
  command: string;
  stdin: Record<string, unknown>;
  env: Record<string, string>;
}

export interface FakePlugins extends AsyncDisposable {
  /** The CNI_PATH directory holding the plugins. */
  readonly binDir: string;
  /** A scratch directory for the cache and config files. */
  readonly workDir: string;
  /** What `name` prints on stdout for `verb` (exit 0), e.g. an ADD result. */
  answer(name: string, verb: string, stdout: string): Promise<void>;
  /** Makes `name` fail `verb` with this stdout and exit 1. */
  fail(name: string, verb: string, stdout: string): Promise<void>;
  /** Every call so far, in order. */
  calls(): Promise<FakeCall[]>;
  clearCalls(): Promise<void>;
}

export async function fakePlugins(names: readonly string[]): Promise<FakePlugins> {
  const root = await mkdtemp(join(tmpdir(), 'cni-ts-run-test-'));
  const binDir = join(root, 'bin');
  const stateDir = join(root, 'state');
  const workDir = join(root, 'work');
  await Promise.all([mkdir(binDir), mkdir(join(stateDir, 'calls'), { recursive: true }), mkdir(workDir)]);
  for (const name of names) {
    await writeFile(join(binDir, name), script(stateDir, name));
    await chmod(join(binDir, name), 0o755);
  }
  return {
    binDir,
    workDir,
    answer: (name, verb, stdout) => writeFile(join(stateDir, `${name}.${verb}.out`), stdout),
    fail: (name, verb, stdout) => writeFile(join(stateDir, `${name}.${verb}.fail`), stdout),
    async calls() {
      const dir = join(stateDir, 'calls');
      const files = (await readdir(dir)).filter((f) => f.endsWith('.stdin')).sort();
      return Promise.all(files.map(async (f) => {
        const [, plugin = '', command = ''] = /^\d+-(.+)-([A-Z]+)\.stdin$/.exec(f) ?? [];
        const stdinText = await readFile(join(dir, f), 'utf8');
        const envText = await readFile(join(dir, f.replace(/\.stdin$/, '.env')), 'utf8');
        const env = Object.fromEntries(envText.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        return { plugin, command, stdin: JSON.parse(stdinText) as Record<string, unknown>, env };
      }));
    },
    async clearCalls() {
      await rm(join(stateDir, 'calls'), { recursive: true });
      await mkdir(join(stateDir, 'calls'));
    },
    async [Symbol.asyncDispose]() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
