// A DelegateRunner that runs delegates from plugin definitions in this process instead of executing binaries:
// a plugin's tests can delegate to the real IPAM code without building it (and a later speed-up may do the same).
import type { DelegateRunner } from '../delegate.ts';
import { delegateFailure } from '../delegate.ts';
import { CniError, ErrorCode } from '../errors.ts';
import type { PluginDefinition } from '../plugin.ts';
import { runWithIo } from './run-with-io.ts';

export function inProcessRunner(plugins: Record<string, PluginDefinition<any>>): DelegateRunner {
  return {
    async exec(req) {
      const def = plugins[req.type];
      if (def === undefined) {
        throw new CniError(ErrorCode.Internal, `failed to find plugin "${req.type}" in the in-process runner`);
      }
      const out = await runWithIo(def, { env: req.env, stdin: req.stdin });
      if (out.code === 0) return out.stdout;
      throw delegateFailure(`exit status ${out.code}`, out.stdout, out.stderr);
    },
  };
}
