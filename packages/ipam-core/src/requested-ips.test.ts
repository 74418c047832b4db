import { describe, expect, it } from 'vitest';
import { pickRequestedIps, splitCniArgsList } from './requested-ips.ts';

describe('pickRequestedIps: args.cni.ips over runtimeConfig.ips over CNI_ARGS IP', () => {
  it.each([
    [{ argsIps: ['a'], runtimeIps: ['b'], cniArgsIps: ['c'] }, { source: 'args.cni.ips', ips: ['a'] }],
    [{ runtimeIps: ['b'], cniArgsIps: ['c'] }, { source: 'runtimeConfig.ips', ips: ['b'] }],
    [{ argsIps: [], runtimeIps: ['b'], cniArgsIps: ['c'] }, { source: 'runtimeConfig.ips', ips: ['b'] }],
    [{ cniArgsIps: ['c', 'd'] }, { source: 'CNI_ARGS IP', ips: ['c', 'd'] }],
    [{}, undefined],
    [{ argsIps: [], runtimeIps: [] }, undefined],
  ])('%j', (sources, picked) => {
    expect(pickRequestedIps(sources)).toEqual(picked);
  });

  it('splits CNI_ARGS lists on commas', () => {
    expect(splitCniArgsList(' 10.1.0.5/24, fd00::5/64 ,')).toEqual(['10.1.0.5/24', 'fd00::5/64']);
    expect(splitCniArgsList(undefined)).toEqual([]);
  });
});
