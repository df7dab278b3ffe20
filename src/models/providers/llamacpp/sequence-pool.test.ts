import { describe, expect, it } from 'vitest';
import { SequencePool } from './sequence-pool.js';

describe('SequencePool', () => {
  it('hands out free items, then queues requests first come, first served', async () => {
    const pool = new SequencePool(['a']);
    const first = await pool.acquire();
    const order: string[] = [];
    const second = pool.acquire().then((item) => order.push(`second:${item}`));
    const third = pool.acquire().then((item) => order.push(`third:${item}`));
    expect(pool.waiting).toBe(2);
    pool.release(first);
    await second;
    pool.release('a');
    await third;
    expect(order).toEqual(['second:a', 'third:a']);
    pool.release('a');
    expect(pool.available).toBe(1);
  });

  it('lets an aborted waiter leave the line without taking an item', async () => {
    const pool = new SequencePool([1]);
    const held = await pool.acquire();
    const controller = new AbortController();
    const abandoned = pool.acquire(controller.signal);
    const patient = pool.acquire();
    controller.abort(new Error('gone'));
    await expect(abandoned).rejects.toThrow('gone');
    pool.release(held);
    await expect(patient).resolves.toBe(1);
  });

  it('rejects waiting and later requests once closed', async () => {
    const pool = new SequencePool<number>([]);
    const waiting = pool.acquire();
    pool.close(new Error('unloaded'));
    await expect(waiting).rejects.toThrow('unloaded');
    await expect(pool.acquire()).rejects.toThrow('unloaded');
  });
});
