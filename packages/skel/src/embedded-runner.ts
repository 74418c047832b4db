// The DelegateRunner that runs a delegate in this process when the executable found on CNI_PATH is this very
// build (same-build.ts), and executes it otherwise. A Node process costs ~20 ms of start-up and CPU; bridge pays
// it for every IPAM call, so running the IPAM plugin's definition here is the largest saving there is.
//
// In-process, the delegate sees exactly what the executed file would: the same lookup on CNI_PATH (and its
// errors), the same stdin bytes, the environment with CNI_COMMAND replaced, argv naming the file, no TTY. What it
// prints is captured as a child's output would be: its stdout is only ever the delegate's answer, its stderr goes
// through to ours as it arrives, and a non-zero exit becomes the same CniError (delegateFailure) as with exec.
// The timeout gives the same code-11 error; a delegate that ran out of time cannot be killed here, so the
// process exits as soon as the outer plugin has answered (see finish() in dispatch.ts).
import { delegateFailure, delegateTimedOut, type DelegateRequest, type DelegateRunner } from './delegate.ts';
import { runPlugin } from './dispatch.ts';
import { findInPath } from './find-in-path.ts';
import type { Logger } from './logger.ts';
import type { PluginDefinition } from './plugin.ts';
import { readBuildMarker, type EmbeddedPlugins } from './same-build.ts';

export interface EmbeddedRunnerOptions extends EmbeddedPlugins {
  /** runs every delegate that is not this build's */
  fallback: DelegateRunner;
  /** where a delegate's stderr goes as it arrives (our stderr) */
  stderr?: (chunk: string) => void;
  /** says (at debug level) which way each delegate ran */
  log?: Logger;
}

const maxCapturedStderr = 64 * 1024; // as the exec runner

let abandoned = 0;

/** True when an in-process delegate ran out of time and may still be running. */
export function hasAbandonedDelegates(): boolean {
  return abandoned > 0;
}

export function markerSaysSameBuild(buildId: string): (path: string, type: string) => boolean {
  return (path, type) => {
    const marker = readBuildMarker(path);
    return marker !== undefined && marker.name === type && marker.buildId === buildId;
  };
}

export function createEmbeddedRunner(opts: EmbeddedRunnerOptions): DelegateRunner {
  const isSameBuild = opts.isSameBuild ?? markerSaysSameBuild(opts.buildId);
  const runner: DelegateRunner = {
    async exec(req) {
      const load = Object.hasOwn(opts.plugins, req.type) ? opts.plugins[req.type] : undefined;
      if (load === undefined) return opts.fallback.exec(req);
      const path = findInPath(req.type, req.cniPath); // the lookup, and its errors, of the exec runner
      if (!isSameBuild(path, req.type)) {
        opts.log?.debug(`delegate ${req.type}: executing ${path} (not this build)`);
        return opts.fallback.exec(req);
      }
      const def = await load();
      if (def.name !== req.type) {
        // A build mistake: the embedded table names the wrong plugin. Executing the file is still correct.
        opts.log?.warn(`delegate ${req.type}: the embedded plugin is "${def.name}"; executing ${path}`);
        return opts.fallback.exec(req);
      }
      opts.log?.debug(`delegate ${req.type}: in-process (${path} is this build)`);
      return runEmbedded(def, path, req, runner, opts.stderr);
    },
  };
  return runner;
}

async function runEmbedded(
  def: PluginDefinition<any>,
  path: string,
  req: DelegateRequest,
  self: DelegateRunner,
  passthrough: ((chunk: string) => void) | undefined,
): Promise<string> {
  let stdout = '';
  let stderr = '';
  const run = runPlugin(def, {
    env: { ...req.env },
    stdin: async () => req.stdin,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      if (stderr.length < maxCapturedStderr) stderr += s;
      passthrough?.(s);
    },
    argv: [process.execPath, path],
    stdinIsTTY: false,
    delegateRunner: self, // a delegate that delegates again gets the same treatment
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abandoned++;
      reject(delegateTimedOut(req, stderr));
    }, req.timeoutMs);
  });
  try {
    const code = await Promise.race([run, timeout]);
    if (code === 0) return stdout;
    throw delegateFailure(`exit status ${code}`, stdout, stderr);
  } finally {
    clearTimeout(timer);
  }
}
