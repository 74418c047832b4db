// runChecked: a tool's failure is a NetfilterCommandError, except a busy xtables lock, which is code 11.
import { isCniError } from '@cni-ts/skel';
import { describe, expect, it } from 'vitest';
import { type CommandResult, type CommandRunner, NetfilterCommandError, runChecked } from './command.ts';

const runner = (result: CommandResult): CommandRunner => ({ has: () => true, run: async () => result });
const busy = 'Another app is currently holding the xtables lock. Stopped waiting after 10s.\n';

describe('runChecked', () => {
  it('returns stdout on success', async () => {
    expect(await runChecked(runner({ code: 0, stdout: 'ok', stderr: '' }), 'iptables', ['-S'])).toBe('ok');
  });
  it('turns a busy xtables lock (exit 4) into code 11, keeping the tool message', async () => {
    const err = await runChecked(runner({ code: 4, stdout: '', stderr: busy }), 'iptables-restore', ['--noflush', '-w', '10']).catch((e: unknown) => e);
    expect(isCniError(err) && { code: err.code, msg: err.msg, details: err.details }).toEqual({
      code: 11,
      msg: 'iptables-restore: the xtables lock is held by another process',
      details: busy.trim(),
    });
  });
  it('reports any other failure as a NetfilterCommandError', async () => {
    const err = await runChecked(runner({ code: 4, stdout: '', stderr: 'iptables v1.8.9: unknown option' }), 'iptables', ['-x']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetfilterCommandError);
  });
});
