// lib/micro-batch.ts: a lone item goes at once; items arriving while batches run go together; an
// item refused alone fails only its caller; a failed batch is run again item by item when asked.
import { MicroBatcher, Refused } from '../../lib/micro-batch';

describe('MicroBatcher', () => {
  test('When one item is added alone, then it runs at once in a batch of one', async () => {
    const batches: number[][] = [];
    const b = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((i) => i * 2);
    });
    expect(await b.add(21)).toBe(42);
    expect(batches).toEqual([[21]]);
  });

  test('When items arrive while the only batch allowed runs, then they go together in the next one', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const b = new MicroBatcher<number>(
      async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate;
      },
      { maxInFlight: 1, maxItems: 3 },
    );
    const first = b.add(0);
    await new Promise((r) => setImmediate(r));
    const rest = [1, 2, 3, 4].map((i) => b.add(i));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], [1, 2, 3], [4]]);
  });

  test('When one item is refused, then only its caller fails', async () => {
    const b = new MicroBatcher<number, number>(async (items) =>
      items.map((i) => (i === 2 ? new Refused(new Error('two')) : i)),
    );
    const out = await Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('When a batch fails as a whole and failures are isolated, then the others succeed on their own', async () => {
    const b = new MicroBatcher<number, number>(
      async (items) => {
        if (items.includes(2)) throw new Error('poison');
        return items;
      },
      { isolateFailures: true },
    );
    const out = await Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const plain = new MicroBatcher<number, number>(async (items) => {
      if (items.includes(2)) throw new Error('poison');
      return items;
    });
    const all = await Promise.allSettled([1, 2, 3].map((i) => plain.add(i)));
    expect(all.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });
});
