// `cni-ts run add|check|del|gc|status <network> <netns-path> [-i ifname]`: cnitool's interface on our runner.
// Environment: NETCONFPATH (config dir, default /etc/cni/net.d), CNI_PATH, CNI_ARGS, CAP_ARGS, CNI_IFNAME, and
// CNI_CACHE_DIR (ours; default /var/lib/cni). The container id is cnitool's, derived from the netns path, so an
// attachment made with cnitool can be checked or deleted with `cni-ts run` and the reverse.
import { resolve } from 'node:path';
import { cnitoolContainerId } from './container-id.ts';
import { errorText } from './inject.ts';
import { loadNetworkConfigList } from './load.ts';
import { CniRunner, defaultCacheDir, type GcArgs, type RuntimeConf } from './runner.ts';

const verbs = ['add', 'check', 'del', 'gc', 'status'] as const;
type Verb = (typeof verbs)[number];

const usage = `usage: cni-ts run <verb> <network> <netns-path> [-i ifname] [--valid <containerID>:<ifname>]...
  add     create the attachment and print the result
  check   check the attachment (cniVersion >= 0.4.0)
  del     delete the attachment
  gc      delete cached attachments of the network that are not --valid, then GC every plugin (netns optional)
  status  ask every plugin whether it is ready (netns optional)
environment: NETCONFPATH (default /etc/cni/net.d), CNI_PATH, CNI_ARGS (K=V;...), CAP_ARGS (JSON object),
  CNI_IFNAME (default eth0), CNI_CACHE_DIR (default ${defaultCacheDir})
`;

class UsageError extends Error {}

interface Parsed { verb: Verb; network: string; netns: string | undefined; ifName: string | undefined; valid: GcArgs['validAttachments'][number][] }

function parseArgv(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  let ifName: string | undefined;
  const valid: Parsed['valid'] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-i' || a === '--ifname') {
      ifName = argv[++i];
      if (ifName === undefined) throw new UsageError(`${a} needs a value`);
    } else if (a === '--valid') {
      const v = argv[++i] ?? '';
      const sep = v.lastIndexOf(':');
      if (sep <= 0 || sep === v.length - 1) throw new UsageError(`--valid needs <containerID>:<ifname>, got ${JSON.stringify(v)}`);
      valid.push({ containerID: v.slice(0, sep), ifname: v.slice(sep + 1) });
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  const [verb, network, netns, ...extra] = positional;
  if (!verbs.includes(verb as Verb)) throw new UsageError(verb === undefined ? 'missing verb' : `unknown verb ${JSON.stringify(verb)}`);
  if (network === undefined) throw new UsageError('missing network name');
  const needsNetns = verb === 'add' || verb === 'check' || verb === 'del';
  if (needsNetns && netns === undefined) throw new UsageError('missing netns path');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (valid.length > 0 && verb !== 'gc') throw new UsageError('--valid is only for gc');
  return { verb: verb as Verb, network, netns, ifName, valid };
}

/** CNI_ARGS as cnitool reads it, except that a value may contain "=" (split on the first one). */
export function parseCniArgsEnv(s: string | undefined): [string, string][] {
  if (!s) return [];
  return s.split(';').map((pair) => {
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    if (k === '' || v === '') throw new Error(`invalid CNI_ARGS pair ${JSON.stringify(pair)}`);
    return [k, v];
  });
}

function parseCapArgs(s: string | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch (err) {
    throw new Error(`CAP_ARGS: ${(err as Error).message}`, { cause: err });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('CAP_ARGS must be a JSON object');
  return v as Record<string, unknown>;
}

export interface CommandIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: CommandIo = {
  env: process.env,
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
};

/** The subcommand entry: returns the exit code (0 ok, 1 failed, 2 usage). */
export async function run(argv: string[], io: CommandIo = processIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stderr(usage);
    return 0;
  }
  let p: Parsed;
  try {
    p = parseArgv(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`cni-ts run: ${err.message}\n${usage}`);
    return 2;
  }
  const { env } = io;
  try {
    const list = await loadNetworkConfigList(env.NETCONFPATH || '/etc/cni/net.d', p.network);
    const runner = new CniRunner({
      path: (env.CNI_PATH ?? '').split(':').filter((d) => d !== ''),
      cacheDir: env.CNI_CACHE_DIR || defaultCacheDir,
      env,
      stderr: (b) => io.stderr(b.toString()),
    });
    const netns = p.netns === undefined ? '' : resolve(p.netns);
    const capabilityArgs = parseCapArgs(env.CAP_ARGS);
    const rt: RuntimeConf = {
      containerId: netns === '' ? '' : cnitoolContainerId(netns),
      netns,
      ifName: p.ifName ?? (env.CNI_IFNAME || 'eth0'),
      args: parseCniArgsEnv(env.CNI_ARGS),
      ...(capabilityArgs ? { capabilityArgs } : {}),
    };
    switch (p.verb) {
      case 'add': {
        // As the last plugin printed it (cnitool re-prints the result in its own version, 4-space indent).
        io.stdout(`${JSON.stringify(await runner.add(list, rt), null, 4)}\n`);
        break;
      }
      case 'check': await runner.check(list, rt); break;
      case 'del': await runner.del(list, rt); break;
      case 'gc': await runner.gc(list, p.valid.length > 0 ? { validAttachments: p.valid } : undefined); break;
      case 'status': await runner.status(list); break;
    }
    return 0;
  } catch (err) {
    io.stderr(`${errorText(err)}\n`);
    return 1;
  }
}
