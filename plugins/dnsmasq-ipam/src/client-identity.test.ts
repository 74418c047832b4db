import { describe, expect, it } from 'vitest';
import { chooseHostname, clientIdBytes, clientIdText, ourClientIdText, sanitizeHostname } from './client-identity.ts';

describe('client-id', () => {
  it('is "cni/<containerID>/<ifname>" behind a type-0 byte', () => {
    const id = 'a'.repeat(64);
    expect(clientIdText(id, 'eth0')).toBe(`cni/${id}/eth0`);
    const bytes = clientIdBytes(clientIdText(id, 'eth0'));
    expect(bytes.length).toBe(1 + 4 + 64 + 1 + 4);
    expect(bytes[0]).toBe(0);
    expect(ourClientIdText(bytes)).toBe(`cni/${id}/eth0`);
  });

  it('hashes ids that would exceed 250 bytes', () => {
    const long = 'x'.repeat(300);
    const text = clientIdText(long, 'eth0');
    expect(text).toMatch(/^cni\/sha256:[0-9a-f]{64}$/);
    expect(clientIdText(long, 'eth0')).toBe(text);
    expect(clientIdText(long, 'eth1')).not.toBe(text);
    expect(clientIdText('y'.repeat(241), 'eth0')).toHaveLength(250); // exactly 250 stays readable
  });

  it('recognises only our own client-ids', () => {
    expect(ourClientIdText(Uint8Array.of(1, 2, 3, 4, 5, 6, 7))).toBeUndefined();
    expect(ourClientIdText(clientIdBytes('other'))).toBeUndefined();
  });
});

describe('hostname', () => {
  it('sanitises to a lower-case RFC 1123 label of at most 63 characters', () => {
    expect(sanitizeHostname('Web_1')).toBe('web-1');
    expect(sanitizeHostname('dotted.name.example')).toBe('dotted-name-example');
    expect(sanitizeHostname('--a__b--')).toBe('a-b');
    expect(sanitizeHostname('é')).toBe('');
    const long = sanitizeHostname(`${'a'.repeat(62)}-b`);
    expect(long).toBe('a'.repeat(62)); // cut at 63, then the trailing hyphen removed
    expect(sanitizeHostname('x'.repeat(100))).toHaveLength(63);
  });

  it('takes the first non-empty CNI_ARGS key, else the first 12 characters of the container id', () => {
    const args: Record<string, string> = { K8S_POD_NAME: 'My_Pod', EMPTY: '__' };
    const lookupArg = (k: string): string | undefined => args[k];
    expect(chooseHostname({ hostnameArgs: ['EMPTY', 'K8S_POD_NAME'], lookupArg, containerId: 'abc' })).toBe('my-pod');
    expect(chooseHostname({ hostnameArgs: ['MISSING'], lookupArg, containerId: '0123456789abcdef' })).toBe('0123456789ab');
  });
});
