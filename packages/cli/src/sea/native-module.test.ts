import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../install/testing.ts';
import { DEFAULT_NATIVE_DIR, distrust, ensureTrustedDir, nativeDir } from './native-dir.ts';
import { loadEmbeddedNative } from './native-module.ts';

// The real koffi binary, as the single executable embeds it.
const netlinkRequire = createRequire(new URL('../../../netlink/package.json', import.meta.url));
const koffiBytes = readFileSync(netlinkRequire.resolve(`@koromix/koffi-linux-${process.arch}/linux_${process.arch}/koffi.node`));
const asset = (bytes: Uint8Array) => () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

describe('nativeDir', () => {
  it('defaults to a root-only state directory and honours CNI_TS_NATIVE_DIR', () => {
    expect(nativeDir({})).toBe(DEFAULT_NATIVE_DIR);
    expect(nativeDir({ CNI_TS_NATIVE_DIR: '' })).toBe(DEFAULT_NATIVE_DIR);
    expect(nativeDir({ CNI_TS_NATIVE_DIR: '/run/x/' })).toBe('/run/x');
  });
});

describe('ensureTrustedDir', () => {
  it('creates the directory 0755 and accepts it under a sticky world-writable ancestor such as /tmp', () => {
    using t = tempDir('cni-ts-native-');
    const dir = join(t.path, 'a/b/native');
    ensureTrustedDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
  });

  it('refuses a directory others can write, or one below a non-sticky directory others can write', () => {
    using t = tempDir('cni-ts-native-');
    const open = join(t.path, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(() => ensureTrustedDir(open)).toThrow(`refusing to load native code from ${open}: ${open} is writable by group or others (mode 777)`);
    expect(() => ensureTrustedDir(join(open, 'native'))).toThrow(`${open} is writable by group or others (mode 777)`);
    chmodSync(open, 0o1777); // sticky: others cannot rename or replace our entry
    expect(() => ensureTrustedDir(join(open, 'native'))).not.toThrow();
  });

  it('checks where a symbolic link points as well', () => {
    using t = tempDir('cni-ts-native-');
    const target = join(t.path, 'target');
    mkdirSync(target, { mode: 0o755 });
    chmodSync(target, 0o775);
    symlinkSync(target, join(t.path, 'link'));
    expect(() => ensureTrustedDir(join(t.path, 'link'))).toThrow(`${target} is writable by group or others (mode 775)`);
  });

  it('names a file where a directory should be', () => {
    using t = tempDir('cni-ts-native-');
    writeFileSync(join(t.path, 'file'), '');
    expect(distrust(join(t.path, 'file'), true)).toBe(`${join(t.path, 'file')} is not a directory`);
  });
});

describe('loadEmbeddedNative', () => {
  it('extracts the asset under its key once and loads it', () => {
    using t = tempDir('cni-ts-native-');
    const dir = join(t.path, 'native');
    const koffi = loadEmbeddedNative('koffi-test.node', dir, asset(koffiBytes)) as { load?: unknown; errno?: unknown };
    expect(typeof koffi.load).toBe('function');
    expect(readdirSync(dir)).toEqual(['koffi-test.node']);
    const { ino, mode } = statSync(join(dir, 'koffi-test.node'));
    expect(mode & 0o777).toBe(0o644);
    loadEmbeddedNative('koffi-test.node', dir, asset(koffiBytes));
    expect(statSync(join(dir, 'koffi-test.node')).ino).toBe(ino); // not rewritten
  });

  it('replaces a truncated or group-writable extraction before loading it', () => {
    using t = tempDir('cni-ts-native-');
    const dir = join(t.path, 'native');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, 'koffi-test.node'), koffiBytes.subarray(0, 1000));
    loadEmbeddedNative('koffi-test.node', dir, asset(koffiBytes));
    expect(statSync(join(dir, 'koffi-test.node')).size).toBe(koffiBytes.length);
    chmodSync(join(dir, 'koffi-test.node'), 0o666);
    loadEmbeddedNative('koffi-test.node', dir, asset(koffiBytes));
    expect(statSync(join(dir, 'koffi-test.node')).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['koffi-test.node']); // no temporary files left
  });
});
