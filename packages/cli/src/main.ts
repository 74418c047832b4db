// `cni-ts`: the operator's tool. Each subcommand lives in its own folder and registers one line here.
declare const __CNI_TS_VERSION__: string;

type Subcommand = (argv: string[]) => Promise<number>;

const subcommands: Record<string, { summary: string; load: () => Promise<Subcommand> }> = {
  install: { summary: 'install plugins into /opt/cni/bin (atomic; see --help)', load: async () => (await import('./install/install-command.ts')).run },
  uninstall: { summary: 'remove the plugins cni-ts installed', load: async () => (await import('./install/uninstall-command.ts')).run },
  validate: { summary: 'check conflists against the plugins\' config schemas', load: async () => (await import('./validate/command.ts')).run },
  run: { summary: 'run a network config list like cnitool: add|check|del|gc|status', load: async () => (await import('./run/command.ts')).run },
};

function usage(): string {
  const lines = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(12)}${s.summary}`);
  return `cni-ts ${__CNI_TS_VERSION__}\nusage: cni-ts <command> [args]\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name === undefined ? undefined : subcommands[name];
  if (!sub) {
    process.stderr.write(usage());
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  return (await sub.load())(rest);
}

void main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.stderr.write(`cni-ts: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 1; },
);
