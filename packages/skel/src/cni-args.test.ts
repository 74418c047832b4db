import { describe, expect, test } from 'vitest';
import { parseCniArgs } from './cni-args.ts';
import { conventionArg } from './conventions.ts';

describe('parseCniArgs', () => {
  test('what containerd sends, with IgnoreUnknown and unknown keys, never fails', () => {
    const a = parseCniArgs('IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=u1');
    expect(a.get('K8S_POD_NAME')).toBe('web-0');
    expect(a.entries()).toHaveLength(5);
  });
  test('a value may contain "="; keys match case-insensitively, an exact match first', () => {
    const a = parseCniArgs('ip=10.0.0.2;IP=10.0.0.3;MAC=c2:11:22:33:44:55;X=a=b=c');
    expect(a.get('IP')).toBe('10.0.0.3');
    expect(a.get('ip')).toBe('10.0.0.2');
    expect(a.get('mac')).toBe('c2:11:22:33:44:55');
    expect(a.get('x')).toBe('a=b=c');
    expect(a.has('Mac')).toBe(true);
    expect(a.get('GATEWAY')).toBeUndefined();
  });
  test('empty input, empty pairs and pairs without a key or "=" are ignored; the last repeat wins', () => {
    expect(parseCniArgs(undefined).entries()).toEqual([]);
    expect(parseCniArgs('').entries()).toEqual([]);
    expect(parseCniArgs(';;A=1;novalue;=x;A=2;B=').entries()).toEqual([
      ['A', '2'],
      ['B', ''],
    ]);
  });
});

describe('conventionArg: args.cni.* wins over CNI_ARGS', () => {
  const args = parseCniArgs('MAC=c2:00:00:00:00:01;IP=10.0.0.9');
  test('both given: the config wins', () => {
    const raw = { args: { cni: { mac: 'c2:00:00:00:00:02' } } };
    expect(conventionArg({ raw, args }, { args: 'mac', cniArgs: 'MAC' })).toEqual({ source: 'args', value: 'c2:00:00:00:00:02' });
  });
  test('only CNI_ARGS: its value (key matched case-insensitively)', () => {
    expect(conventionArg({ raw: {}, args }, { args: 'ips', cniArgs: 'ip' })).toEqual({ source: 'CNI_ARGS', value: '10.0.0.9' });
    expect(conventionArg({ raw: { args: { cni: { ips: null } } }, args }, { args: 'ips', cniArgs: 'IP' })).toEqual({
      source: 'CNI_ARGS',
      value: '10.0.0.9',
    });
  });
  test('neither', () => {
    expect(conventionArg({ raw: { args: 'junk' }, args: parseCniArgs('') }, { args: 'mac', cniArgs: 'MAC' })).toBeUndefined();
  });
});
