import { expect, test } from 'vitest';
import * as z from 'zod/mini';
import { CniError, isCniError } from './errors.ts';
import { toCniError } from './to-cni-error.ts';
import { formatPath } from './zod-issues.ts';

test('a CniError is never wrapped', () => {
  const e = new CniError(11, 'busy', 'lock');
  expect(toCniError(e)).toBe(e);
});
test('isCniError survives a second copy of the class (a brand, not instanceof)', () => {
  const foreign = Object.assign(Object.create(Error.prototype) as object, { [Symbol.for('cni-ts.CniError')]: true, code: 7 });
  expect(isCniError(foreign)).toBe(true);
  expect(isCniError(new Error('x'))).toBe(false);
});
test('zod errors become code 7 with the path of each issue', () => {
  const schema = z.object({
    ipam: z.object({ ranges: z.array(z.array(z.object({ subnet: z.string() }))) }),
    mode: z.enum(['a', 'b']),
    name: z.string().check(z.minLength(2)),
    tags: z.array(z.string()).check(z.maxLength(1)),
    strict: z.strictObject({ a: z.optional(z.number()) }),
    custom: z.string().check(z.refine((s) => s.startsWith('x'), 'must start with x')),
  });
  const r = schema.safeParse(
    { ipam: { ranges: [[{ subnet: 1 }]] }, mode: 'c', name: 'n', tags: ['a', 'b'], strict: { b: 1 }, custom: 'y' },
    { reportInput: true },
  );
  const e = toCniError(r.error);
  expect(e.code).toBe(7);
  expect(e.msg).toBe('invalid config: ipam.ranges[0][0].subnet: expected string, got number');
  expect(e.details?.split('; ')).toEqual([
    'ipam.ranges[0][0].subnet: expected string, got number',
    'mode: expected one of "a", "b"',
    'name: must be at least 2 characters long',
    'tags: must have at most 1 items',
    'strict: unknown key(s) "b"',
    'custom: must start with x',
  ]);
});
test('paths with keys that are not identifiers are quoted', () => {
  expect(formatPath(['args', 'cni.dev/valid-attachments', 0, 'containerID'])).toBe('args["cni.dev/valid-attachments"][0].containerID');
});
test('anything else is 999, keeping the cause', () => {
  const cause = new TypeError('x is undefined');
  const e = toCniError(cause);
  expect([e.code, e.msg, e.cause]).toEqual([999, 'x is undefined', cause]);
  expect(toCniError(42).msg).toBe('42');
});
