import { describe, expect, it } from 'vitest';
import { ScopedStorage } from './scoped-storage.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ScopedStorage', () => {
  it('carries the store through awaits while the scope runs', async () => {
    const storage = new ScopedStorage<string>();
    const seen = await storage.run('a', async () => {
      await tick();
      const inner = await Promise.resolve().then(() => storage.getStore());
      return [storage.getStore(), inner];
    });
    expect(seen).toEqual(['a', 'a']);
    expect(storage.getStore()).toBeUndefined();
  });

  it('keeps concurrent scopes apart and closes when the last one ends', async () => {
    const storage = new ScopedStorage<number>();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = storage.run(1, async () => {
      await gate;
      return storage.getStore();
    });
    const second = storage.run(2, async () => {
      await tick();
      return storage.getStore();
    });
    expect(storage.open).toBe(2);
    expect(await second).toBe(2);
    expect(storage.open).toBe(1);
    release();
    expect(await first).toBe(1);
    expect(storage.open).toBe(0);
  });

  it('closes the scope of work that throws or rejects, and passes the failure on', async () => {
    const storage = new ScopedStorage<string>();
    expect(() =>
      storage.run('x', () => {
        throw new Error('sync');
      }),
    ).toThrow('sync');
    await expect(storage.run('y', () => Promise.reject(new Error('async')))).rejects.toThrow('async');
    expect(storage.open).toBe(0);
    expect(storage.run('z', () => storage.getStore())).toBe('z');
    expect(storage.open).toBe(0);
  });

  it('is off for work left behind once no scope is open', async () => {
    const storage = new ScopedStorage<string>();
    let later!: Promise<string | undefined>;
    await storage.run('left', async () => {
      later = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return storage.getStore();
      })();
    });
    expect(storage.open).toBe(0);
    expect(await later).toBeUndefined();
  });
});
