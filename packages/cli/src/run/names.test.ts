import { describe, expect, it } from 'vitest';
import { cnitoolContainerId } from './container-id.ts';
import { validateContainerId, validateIfName, validateNetworkName } from './names.ts';

describe('identifier validation', () => {
  it('accepts what a runtime sends', () => {
    expect(() => validateContainerId('3f2a_b.c-d')).not.toThrow();
    expect(() => validateNetworkName('my-net.1')).not.toThrow();
    expect(() => validateIfName('eth0')).not.toThrow();
    expect(() => validateIfName('x'.repeat(15))).not.toThrow();
  });

  it.each([
    [() => validateContainerId('-x'), 4, 'invalid characters in containerID'],
    [() => validateNetworkName(''), 7, 'missing network name:'],
    [() => validateNetworkName('a/b'), 7, 'invalid characters found in network name'],
    [() => validateIfName(''), 4, 'interface name is empty'],
    [() => validateIfName('..'), 4, 'interface name is . or ..'],
    [() => validateIfName('a b'), 4, 'interface name contains / or : or whitespace characters'],
    [() => validateIfName('a/b'), 4, 'interface name contains / or : or whitespace characters'],
  ])('rejects bad identifiers (%#)', (f, code, msg) => {
    expect(f).toThrow(expect.objectContaining({ code, msg }));
  });
});

describe('cnitoolContainerId', () => {
  it('is cnitool- plus the first 10 bytes of sha512(absolute netns path) in hex', () => {
    // printf '%s' /var/run/netns/x | sha512sum | cut -c1-20
    expect(cnitoolContainerId('/var/run/netns/x')).toBe('cnitool-4acf487154af9777be71');
    expect(cnitoolContainerId('/run/netns/../netns/abc')).toBe('cnitool-adc890df7ad343ce6924');
  });
});
