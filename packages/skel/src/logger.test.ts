import { expect, test } from 'vitest';
import { createLogger, parseLogLevel } from './logger.ts';

test('the level filters, the default is warn, and lines go to the writer', () => {
  let out = '';
  const write = (s: string) => (out += s);
  const log = createLogger({ name: 'bridge', write });
  log.debug('d');
  log.info('i');
  log.warn('w', { n: 1 });
  log.error('e');
  expect(out).toBe('bridge warn: w {"n":1}\nbridge error: e\n');
  out = '';
  const debug = createLogger({ name: 'bridge', level: 'debug', write });
  debug.debug('d', { err: Object.assign(new Error('EEXIST'), { code: 'EEXIST' }), big: 1n });
  expect(out).toBe('bridge debug: d {"err":{"name":"Error","message":"EEXIST","code":"EEXIST"},"big":"1"}\n');
});
test('CNI_TS_LOG_LEVEL values', () => {
  expect(['debug', 'INFO', ' warn ', 'error', 'silent', 'bogus', undefined].map(parseLogLevel)).toEqual([
    'debug',
    'info',
    'warn',
    'error',
    'silent',
    'warn',
    'warn',
  ]);
  let out = '';
  createLogger({ name: 'x', level: 'silent', write: (s) => (out += s) }).error('e');
  expect(out).toBe('');
});
test('fields that cannot be serialized never make logging throw', () => {
  let out = '';
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  createLogger({ name: 'x', write: (s) => (out += s) }).warn('w', cyclic);
  expect(out).toBe('x warn: w [unserializable fields]\n');
});
