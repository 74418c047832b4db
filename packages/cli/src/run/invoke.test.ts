import { describe, expect, it } from 'vitest';
import { pluginEnv, pluginError, runPlugin, type ExecOutput, type PluginExec } from './invoke.ts';

const ok = (stdout: string, stderr = ''): ExecOutput => ({ stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), exitCode: 0, signal: null });
const failed = (stdout: string, stderr = '', exitCode = 1): ExecOutput => ({ ...ok(stdout, stderr), exitCode });
const busy = () => Object.assign(new Error('spawn /x ETXTBSY'), { code: 'ETXTBSY' });

describe('runPlugin', () => {
  it('retries a plugin whose executable is busy being written, then runs it', async () => {
    let attempts = 0;
    const exec: PluginExec = async () => {
      if (++attempts < 3) throw busy();
      return ok('{}');
    };
    expect((await runPlugin('/x', Buffer.from('{}'), {}, { exec, busyRetryMs: 1 })).toString()).toBe('{}');
    expect(attempts).toBe(3);
  });

  it('gives up after five retries', async () => {
    let attempts = 0;
    const exec: PluginExec = async () => {
      attempts++;
      throw busy();
    };
    await expect(runPlugin('/x', Buffer.from('{}'), {}, { exec, busyRetryMs: 1 })).rejects.toThrow('failed to run plugin "/x": spawn /x ETXTBSY');
    expect(attempts).toBe(6);
  });

  it('passes stderr on and throws the plugin error', async () => {
    const seen: string[] = [];
    const exec: PluginExec = async () => failed('{"code":7,"msg":"bad","details":"field x"}', 'log line\n');
    await expect(runPlugin('/x', Buffer.alloc(0), {}, { exec, stderr: (b) => seen.push(b.toString()) }))
      .rejects.toMatchObject({ code: 7, msg: 'bad', details: 'field x' });
    expect(seen).toEqual(['log line\n']);
  });
});

describe('pluginError', () => {
  it.each([
    [failed('', '', 2), 'netplugin failed with no error message: exit status 2'],
    [failed('', 'panic: x\n', 2), 'netplugin failed: "panic: x\\n": exit status 2'],
    [{ ...failed(''), exitCode: null, signal: 'SIGKILL' as const }, 'netplugin failed with no error message: signal: SIGKILL'],
  ])('builds a message when stdout is empty (%#)', (out, msg) => {
    expect(pluginError(out)).toMatchObject({ code: 0, msg });
  });

  it('says so when stdout is not JSON', () => {
    expect(pluginError(failed('oops')).msg).toMatch(/^netplugin failed but error parsing its diagnostic message "oops": /);
  });
});

describe('pluginEnv', () => {
  it('keeps the caller environment and overrides every CNI_* variable', () => {
    const env = pluginEnv({ PATH: '/bin', CNI_COMMAND: 'stale', CNI_ARGS: 'stale', UNSET: undefined }, {
      command: 'DEL', containerId: 'c', netns: '', ifName: 'eth0', pluginArgs: [['A', '1'], ['B', 'x=y']], path: '/opt/cni/bin',
    });
    expect(env).toEqual({
      PATH: '/bin', CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'c', CNI_NETNS: '', CNI_ARGS: 'A=1;B=x=y', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin',
    });
  });
});
