import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { describe, expect, test } from 'vitest';
import { NetlinkError } from '../errors.ts';
import { errnoName, errnoValue, SysError } from './sys-error.ts';

describe('errno names', () => {
  test('the fixed table gives what node:os gives, name for name (aliases included)', () => {
    for (const [name, value] of Object.entries(constants.errno)) expect(errnoValue(name), name).toBe(value);
    expect(errnoValue('ENOPE')).toBeUndefined();
  });

  test('a value is named by its first spelling; an unknown one as E<number>', () => {
    expect(errnoName(17)).toBe('EEXIST');
    expect(errnoName(95)).toBe('EOPNOTSUPP');
    expect(errnoName(11)).toBe('EAGAIN');
    expect(errnoName(15)).toBe('E15'); // ENOTBLK: not in node's table
  });
});

describe('messages are built when first read', () => {
  test('SysError: syscall, errno name, errno text and detail', () => {
    const err = new SysError('setsockopt(SO_BINDTODEVICE)', 19, { detail: 'eth9' });
    expect(Object.hasOwn(err, 'message')).toBe(false);
    expect(err.message).toBe(`setsockopt(SO_BINDTODEVICE) failed: ENODEV: ${getSystemErrorMap().get(-19)?.[1]} (eth9)`);
    expect(Object.getOwnPropertyDescriptor(err, 'message')).toMatchObject({ writable: true, enumerable: false });
    expect(String(err.stack).split('\n')[0]).toBe(`SysError: ${err.message}`);
    expect(err).toMatchObject({ name: 'SysError', errno: 19, code: 'ENODEV', syscall: 'setsockopt(SO_BINDTODEVICE)' });
  });

  test('NetlinkError: the reason, else the extack, else the errno text', () => {
    expect(new NetlinkError({ errno: 17, op: 'RTM_NEWLINK', subject: 'link "br0"' }).message).toBe(
      `RTM_NEWLINK (link "br0") failed: EEXIST: ${getSystemErrorMap().get(-17)?.[1]}`,
    );
    expect(new NetlinkError({ errno: 95, op: 'RTM_NEWLINK', extack: 'Unknown device type' }).message).toBe(
      'RTM_NEWLINK failed: EOPNOTSUPP: Unknown device type',
    );
    expect(new NetlinkError({ errno: 4, op: 'RTM_GETLINK', extack: 'x', reason: 'interrupted' }).message).toBe(
      'RTM_GETLINK failed: EINTR: interrupted',
    );
  });

  test('a message can still be replaced, as on any Error', () => {
    const err = new NetlinkError({ errno: 2, op: 'RTM_DELADDR' });
    err.message = `while tearing down: ${err.message}`;
    expect(err.message).toMatch(/^while tearing down: RTM_DELADDR failed: ENOENT: /);
    const untouched = new SysError('flock', 11);
    untouched.message = 'replaced before it was ever read';
    expect(untouched.message).toBe('replaced before it was ever read');
  });
});
