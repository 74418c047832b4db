// Runs INSIDE the in-process worker (bundled with the plugin definitions by worker-bundle.ts): reads invocations
// as JSON lines on stdin, runs each through skel's runPlugin with an injected env and stdin (delegates run
// in-process too), and answers on fd 3. The process's own stdout and stderr are watched by the parent: a plugin
// that printed anything outside the captured io would show up there (and fail the case).
import { readdirSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { runPlugin, type PluginDefinition } from '@cni-ts/skel';
import { inProcessRunner } from '@cni-ts/skel/testing';
import type { LinkInfo, WorkerReply, WorkerRequest } from './worker-protocol.ts';

const REPLY_FD = 3;

export interface WorkerTools {
  /** the links of a namespace (netlink, injected by the bundle entry) */
  listLinks(netns: string | undefined): Promise<LinkInfo[]>;
}

export function serve(plugins: Record<string, PluginDefinition<any>>, tools: WorkerTools): void {
  const delegateRunner = inProcessRunner(plugins);
  const reply = (r: WorkerReply): void => void writeSync(REPLY_FD, `${JSON.stringify(r)}\n`);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  // One invocation at a time, as a runtime runs a plugin process per call.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const req = JSON.parse(line) as WorkerRequest;
      if (req.kind === 'memory') {
        // started with --expose-gc: collect first, so that what remains is what is really held
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        return reply({ id: req.id, memory: { rss: m.rss, heapUsed: m.heapUsed, external: m.external, openFds: readdirSync('/proc/self/fd').length } });
      }
      if (req.kind === 'links') {
        try {
          return reply({ id: req.id, links: await tools.listLinks(req.netns) });
        } catch (err) {
          return reply({ id: req.id, crash: `listing links: ${String(err)}` });
        }
      }
      const def = plugins[req.plugin];
      if (def === undefined) return reply({ id: req.id, crash: `no plugin ${req.plugin}` });
      let stdout = '';
      let stderr = '';
      const started = performance.now();
      try {
        const code = await runPlugin(def, {
          env: req.env,
          stdin: async () => Buffer.from(req.stdinBase64, 'base64'),
          stdout: (s) => void (stdout += s),
          stderr: (s) => void (stderr += s),
          argv: ['node', req.plugin],
          stdinIsTTY: false,
          delegateRunner,
        });
        reply({ id: req.id, code, stdout, stderr, ms: performance.now() - started, rss: process.memoryUsage.rss() });
      } catch (err) {
        reply({ id: req.id, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    });
  });
  lines.on('close', () => void queue.then(() => process.exit(0)));
}
