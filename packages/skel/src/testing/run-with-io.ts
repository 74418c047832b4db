// Runs a plugin definition in-process with an injected environment and stdin, capturing what it prints.
import type { DelegateRunner } from '../delegate.ts';
import { runPlugin } from '../dispatch.ts';
import type { PluginDefinition } from '../plugin.ts';

export interface RunInput {
  env: Record<string, string | undefined>;
  /** a string or bytes as is; any other value (a config object) is sent as its JSON */
  stdin?: unknown;
  argv?: string[];
  stdinIsTTY?: boolean;
  delegateRunner?: DelegateRunner;
}

export interface RunOutput {
  /** the exit code the process would have */
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or undefined when stdout is empty */
  json: unknown;
}

export function stdinBytes(stdin: RunInput['stdin']): Buffer {
  if (stdin === undefined) return Buffer.alloc(0);
  if (typeof stdin === 'string') return Buffer.from(stdin, 'utf8');
  if (Buffer.isBuffer(stdin)) return stdin;
  return Buffer.from(JSON.stringify(stdin), 'utf8');
}

export async function runWithIo<C>(def: PluginDefinition<C>, input: RunInput): Promise<RunOutput> {
  let stdout = '';
  let stderr = '';
  const bytes = stdinBytes(input.stdin);
  const code = await runPlugin(def, {
    env: input.env,
    stdin: async () => bytes,
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    argv: input.argv ?? ['node', def.name],
    stdinIsTTY: input.stdinIsTTY ?? false,
    ...(input.delegateRunner === undefined ? {} : { delegateRunner: input.delegateRunner }),
  });
  return { code, stdout, stderr, json: stdout.trim() === '' ? undefined : JSON.parse(stdout) };
}
