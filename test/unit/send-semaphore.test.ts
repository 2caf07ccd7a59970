// The send worker's carrier concurrency: at most `size` calls at once, waiters served first come
// first served, however many queue (a window of pages queues thousands).
import { Semaphore } from '../../activities/sending/concurrency';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Semaphore', () => {
  it('When 5,000 tasks share 3 slots, then never more than 3 run, they start in arrival order, and all finish', async () => {
    const slots = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const all = Array.from({ length: 5_000 }, (_, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => gates.push(r));
        running -= 1;
        return i;
      }),
    );
    // Release the running tasks one at a time, in a random order among those running.
    let released = 0;
    while (released < 5_000) {
      await tick();
      const k = Math.floor(Math.random() * gates.length);
      const [open] = gates.splice(k, 1);
      if (!open) continue;
      open();
      released += 1;
    }
    expect(await Promise.all(all)).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });

  it('When a task throws, then its slot is handed on and the error reaches its caller', async () => {
    const slots = new Semaphore(1);
    const failed = slots.run(async () => {
      throw new Error('carrier down');
    });
    const next = slots.run(async () => 'ran');
    await expect(failed).rejects.toThrow('carrier down');
    await expect(next).resolves.toBe('ran');
    // The slot is free again: a new task runs at once.
    await expect(slots.run(async () => 'again')).resolves.toBe('again');
  });
});
