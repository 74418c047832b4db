import { describe, expect, test } from 'vitest';
import { createLogger } from './logger.ts';
import { Rollback } from './rollback.ts';

describe('Rollback', () => {
  test('runs the undo steps newest first when the scope is left without commit()', async () => {
    const order: string[] = [];
    const add = async (fail: boolean) => {
      await using undo = new Rollback();
      order.push('create veth');
      undo.push(() => order.push('delete veth'));
      order.push('ipam add');
      undo.push(async () => order.push('ipam del'));
      if (fail) throw new Error('address in use');
      undo.commit();
    };
    await expect(add(true)).rejects.toThrow('address in use');
    expect(order).toEqual(['create veth', 'ipam add', 'ipam del', 'delete veth']);
    order.length = 0;
    await add(false);
    expect(order).toEqual(['create veth', 'ipam add']);
  });
  test('a failing undo step is logged, the others still run, and the real error is the one thrown', async () => {
    let log = '';
    const order: string[] = [];
    const add = async () => {
      await using undo = new Rollback(createLogger({ name: 'p', write: (s) => (log += s) }));
      undo.push(() => order.push('first'));
      undo.push(() => {
        throw new Error('link busy');
      });
      undo.push(() => order.push('third'));
      throw new Error('the real error');
    };
    await expect(add()).rejects.toThrow('the real error');
    expect(order).toEqual(['third', 'first']);
    expect(log).toBe('p warn: rollback step failed {"step":2,"err":{"name":"Error","message":"link busy"}}\n');
  });
  test('leaving the scope normally without commit() also rolls back (a forgotten commit is visible)', async () => {
    const order: string[] = [];
    {
      await using undo = new Rollback();
      undo.push(() => order.push('undone'));
    }
    expect(order).toEqual(['undone']);
  });
  test('Symbol.asyncDispose exists (polyfilled on runtimes without it)', () => {
    expect(typeof Symbol.asyncDispose).toBe('symbol');
    expect(typeof new Rollback()[Symbol.asyncDispose]).toBe('function');
  });
});
