import { describe, expect, it } from 'vitest';
import { parseResolvConf } from './resolv-conf.ts';

describe('parseResolvConf', () => {
  it('reads the file as the reference host-local does', () => {
    const text = [
      '# comment', '; also a comment', 'nameserver 1.1.1.1', 'nameserver\t8.8.8.8  extra', '  nameserver 9.9.9.9',
      'domain a.example', 'domain b.example', 'search s1 s2', 'search s3', 'options ndots:2 edns0', 'options rotate',
      'sortlist 1.2.3.4', 'nameserver', 'bogus line here', 'nameserver 10.0.0.1 # trailing', '',
    ].join('\n');
    // Recorded from /usr/lib/cni/host-local 1.1.1 with this file as ipam.resolvConf.
    expect(parseResolvConf(text)).toEqual({
      nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', '10.0.0.1'],
      domain: 'b.example',
      search: ['s1', 's2', 's3'],
      options: ['ndots:2', 'edns0', 'rotate'],
    });
  });

  it('gives empty DNS for an empty file and tolerates CRLF', () => {
    expect(parseResolvConf('')).toEqual({});
    expect(parseResolvConf('nameserver 1.1.1.1\r\nsearch x\r\n')).toEqual({ nameservers: ['1.1.1.1'], search: ['x'] });
  });
});
