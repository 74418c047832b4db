import { expect, test } from 'vitest';
import { CniError } from './errors.ts';
import { compareVersions, isCniVersion, parseVersion, versionAtLeast, versions } from './versions.ts';

test('the seven versions, newest 1.1.0', () => {
  expect(versions.all).toEqual(['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0']);
  expect(versions.current).toBe('1.1.0');
  expect(isCniVersion('0.3.1')).toBe(true);
  expect(isCniVersion('1.2.0')).toBe(false);
});
test('numeric comparison, missing parts are 0, "" is 0.1.0', () => {
  expect(compareVersions('0.10.0', '0.9.0')).toBeGreaterThan(0);
  expect(compareVersions('1', '1.0.0')).toBe(0);
  expect(compareVersions('', '0.1.0')).toBe(0);
  expect(versionAtLeast('0.4.0', '0.4.0')).toBe(true);
  expect(versionAtLeast('0.3.1', '0.4.0')).toBe(false);
  expect(parseVersion('1.1')).toEqual([1, 1, 0]);
});
test('malformed versions are decoding failures with Go\'s words', () => {
  expect(() => parseVersion('1.2.3.4')).toThrow(new CniError(6, 'invalid version "1.2.3.4": too many parts'));
  expect(() => parseVersion('1.x')).toThrow('failed to convert minor version part "x": strconv.Atoi: parsing "x": invalid syntax');
});
