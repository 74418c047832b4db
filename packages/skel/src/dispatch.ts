// The dispatcher (Go: skel.PluginMainFuncs): validates the invocation, gates the version, runs the verb and is
// the one place where errors become CNI error JSON on stdout.
import { requireCapabilities } from './capabilities.ts';
import { readConfigBytes, decodeConfig } from './config-input.ts';
import { createDelegate, defaultDelegateTimeoutMs, type DelegateRunner } from './delegate.ts';
import { CniError, ErrorCode, isCniError } from './errors.ts';
import { createEmbeddedRunner } from './embedded-runner.ts';
import { createExecRunner } from './exec-runner.ts';
import { validAttachments } from './gc-attachments.ts';
import { goJsonIndent, goJsonLine } from './go-json.ts';
import { validateContainerId, validateIfName } from './identifiers.ts';
import { processIo, type PluginIo } from './io.ts';
import { createLogger, parseLogLevel, type Logger } from './logger.ts';
import { checkNotOwnNetns } from './netns-check.ts';
import { parseCniArgs } from './cni-args.ts';
import type { CommandContext, CommandVerb, PluginDefinition } from './plugin.ts';
import { formatResult } from './result/convert.ts';
import type { Result } from './result/model.ts';
import { parseResult } from './result/parse.ts';
import { toCniError, zodToCniError } from './to-cni-error.ts';
import { Redactor } from './redact.ts';
import { embeddedPlugins } from './same-build.ts';
import { gateVersion } from './version-gate.ts';
import { isVerb, verbRules } from './verbs.ts';
import { versions } from './versions.ts';

declare const __CNI_TS_VERSION__: string | undefined; // defined by scripts/bundle.mjs

function pluginVersion<C>(def: PluginDefinition<C>): string {
  if (def.version !== undefined) return def.version;
  return typeof __CNI_TS_VERSION__ === 'string' ? `v${__CNI_TS_VERSION__}` : 'version unknown';
}

function delegateTimeout<C>(def: PluginDefinition<C>, env: PluginIo['env']): number {
  const fromEnv = Number(env.CNI_TS_DELEGATE_TIMEOUT_MS);
  if (env.CNI_TS_DELEGATE_TIMEOUT_MS && Number.isFinite(fromEnv) && fromEnv > 0) return fromEnv;
  return def.delegateTimeoutMs ?? defaultDelegateTimeoutMs;
}

function parsePrevResult(raw: Record<string, unknown>, cniVersion: string): Result | undefined {
  const prev = raw.prevResult;
  if (prev === undefined || prev === null) return undefined;
  try {
    return parseResult(prev, cniVersion);
  } catch (e) {
    if (!isCniError(e)) throw e;
    throw new CniError(ErrorCode.InvalidNetworkConfig, e.msg.replace(/^invalid result/, 'invalid prevResult'), e.details, { cause: e });
  }
}

/** What dispatch shares with runPlugin: the logger, and the secrets of the config once it is decoded. */
interface Session {
  log: Logger;
  redactor: Redactor;
  /** where a delegate's stderr goes (our stderr, redacted line by line) */
  delegateStderr: (chunk: string) => void;
}

/** Runs one invocation; returns what goes to stdout on success (undefined for nothing). */
async function dispatch<C>(def: PluginDefinition<C>, io: PluginIo, { log, redactor, delegateStderr }: Session): Promise<string | undefined> {
  const env = io.env;
  const supported = def.supportedVersions ?? versions.all;
  const command = env.CNI_COMMAND ?? '';

  if (command === '') {
    io.stderr(`CNI ${def.name} plugin ${pluginVersion(def)}\nCNI protocol versions supported: ${supported.join(', ')}\n`);
    return undefined;
  }
  // Rejected first: Go would go on to validate the config and ids for an unknown verb.
  if (!isVerb(command)) throw new CniError(ErrorCode.InvalidEnvironmentVariables, `unknown CNI_COMMAND: ${command}`);
  const missing = verbRules[command].requiredEnv.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new CniError(ErrorCode.InvalidEnvironmentVariables, `required env variables [${missing.join(',')}] missing`);
  }
  // VERSION never reads stdin, and always answers with our newest version (as Go does).
  if (command === 'VERSION') return goJsonLine({ cniVersion: versions.current, supportedVersions: supported });
  requireCapabilities(def.name, def.capabilities ?? []);

  const stdin = await readConfigBytes(io);
  const { raw, cniVersion: declaredVersion } = decodeConfig(stdin);
  redactor.learn(raw); // from here on, no secret of the config reaches an error or a log line
  const containerId = env.CNI_CONTAINERID ?? '';
  const ifName = env.CNI_IFNAME ?? '';
  const needsIds = verbRules[command].requiredEnv.includes('CNI_CONTAINERID');
  // GC and STATUS get empty ids from libcni; validate them only when present.
  if (needsIds || containerId !== '') validateContainerId(containerId);
  if (needsIds || ifName !== '') validateIfName(ifName);

  const cniVersion = gateVersion(command, declaredVersion || '0.1.0', supported);
  const parsed = await def.config.safeParseAsync(raw, { reportInput: true });
  if (!parsed.success) throw zodToCniError(parsed.error);
  const netns = env.CNI_NETNS ?? '';
  if (command === 'ADD' || command === 'CHECK' || command === 'DEL') checkNotOwnNetns(netns, env.CNI_NETNS_OVERRIDE);

  const cniPath = (env.CNI_PATH ?? '').split(':').filter((p) => p !== '');
  const prevResult = parsePrevResult(raw, cniVersion);
  const ctx: CommandContext<C> = {
    command,
    conf: parsed.data,
    raw,
    stdin,
    cniVersion,
    containerId,
    netns,
    ifName,
    cniPath,
    args: parseCniArgs(env.CNI_ARGS),
    ...(prevResult === undefined ? {} : { prevResult }),
    env,
    delegate: createDelegate({
      runner: io.delegateRunner ?? defaultDelegateRunner(delegateStderr, log),
      stdin,
      env,
      cniPath,
      cniVersion,
      timeoutMs: delegateTimeout(def, env),
    }),
    log,
  };
  log.debug('invoked', { command, cniVersion, containerId, ifName, netns });
  return runVerb(def, command, ctx);
}

/** Executes delegates from CNI_PATH; those this executable embeds run in-process when the file is this build. */
function defaultDelegateRunner(stderr: (chunk: string) => void, log: Logger): DelegateRunner {
  const exec = createExecRunner({ stderr });
  const embedded = embeddedPlugins();
  return embedded === undefined ? exec : createEmbeddedRunner({ ...embedded, fallback: exec, stderr, log });
}

async function runVerb<C>(def: PluginDefinition<C>, command: CommandVerb, ctx: CommandContext<C>): Promise<string | undefined> {
  switch (command) {
    case 'ADD': {
      const result = await def.add(ctx);
      if (typeof result !== 'object' || result === null) throw new CniError(ErrorCode.Internal, `plugin ${def.name} returned no result for ADD`);
      return formatResult(result, ctx.cniVersion);
    }
    case 'DEL':
      await def.del(ctx);
      return undefined;
    case 'CHECK':
      await def.check?.(ctx);
      return undefined;
    case 'STATUS':
      await def.status?.(ctx);
      return undefined;
    case 'GC':
      await def.gc?.({ ...ctx, validAttachments: validAttachments(ctx.raw) });
      return undefined;
  }
}

/**
 * Runs the plugin for one invocation and returns the exit code: 0, or 1 after printing the error JSON on stdout.
 * The executable entry is `void runPlugin(plugin).then((code) => { process.exitCode = code; })`.
 */
export async function runPlugin<C>(def: PluginDefinition<C>, ioOverrides: Partial<PluginIo> = {}): Promise<number> {
  const io: PluginIo = { ...(isComplete(ioOverrides) ? {} : processIo()), ...ioOverrides } as PluginIo;
  const redactor = new Redactor();
  const log = createLogger({ name: def.name, level: parseLogLevel(io.env.CNI_TS_LOG_LEVEL), write: (s) => io.stderr(redactor.redact(s)) });
  const delegateStderr = redactor.lineWriter(io.stderr);
  let out: string | undefined;
  try {
    out = await dispatch(def, io, { log, redactor, delegateStderr: delegateStderr.write });
  } catch (e) {
    const err = toCniError(e);
    if (err.code === ErrorCode.Internal && err.cause instanceof Error && !isCniError(err.cause)) {
      log.debug('untyped error', { stack: err.cause.stack });
    }
    delegateStderr.flush();
    print(io, log, goJsonIndent(redactedJson(err, redactor)));
    return finish(ioOverrides, 1);
  }
  delegateStderr.flush();
  // A result that cannot be written (the runtime closed stdout) is a failure the runtime will see as one.
  return finish(ioOverrides, out === undefined || print(io, log, out) ? 0 : 1);
}

/**
 * With the real process's IO (the executable), the process ends as soon as the answer is out: stdout and stderr are
 * written synchronously, and every step the verb started has been awaited. process.exit skips Node's teardown of
 * the environment and the V8 heap (~1.3 ms of CPU per run); it also ends an in-process delegate that timed out and
 * cannot be killed as an executed one would be. In-process runs (complete IO overrides) just return the code.
 */
function finish(ioOverrides: Partial<PluginIo>, code: number): number {
  if (!isComplete(ioOverrides)) process.exit(code);
  return code;
}

/** The error JSON with every known secret of the config replaced (a message may quote a value or a delegate). */
function redactedJson(err: CniError, redactor: Redactor): ReturnType<CniError['toJSON']> {
  const json = err.toJSON();
  if (!redactor.active) return json;
  return json.details === undefined
    ? { code: json.code, msg: redactor.redact(json.msg) }
    : { code: json.code, msg: redactor.redact(json.msg), details: redactor.redact(json.details) };
}

/** Writes the protocol document; false when stdout is gone (nothing else can reach the runtime then). */
function print(io: PluginIo, log: Logger, text: string): boolean {
  try {
    io.stdout(text);
    return true;
  } catch (e) {
    log.error('cannot write to stdout', { err: e });
    return false;
  }
}

function isComplete(io: Partial<PluginIo>): io is PluginIo {
  return io.env !== undefined && io.stdin !== undefined && io.stdout !== undefined && io.stderr !== undefined && io.argv !== undefined && io.stdinIsTTY !== undefined;
}
