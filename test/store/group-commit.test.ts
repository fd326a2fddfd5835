import { GroupCommit, writeErrorsByIndex } from '../../src/store/group-commit';

describe('GroupCommit', () => {
  it('sends a lone item at once and what comes meanwhile together, each settling with its own outcome', async () => {
    const commands: number[][] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      commands.push(items);
      await new Promise((r) => setImmediate(r));
      return items.map((n) => (n === 3 ? new Error('three') : n * 10));
    });
    const first = group.add(1);
    const rest = [2, 3, 4].map((n) => group.add(n));
    expect(await first).toBe(10);
    const outcomes = await Promise.allSettled(rest);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      20,
      'rejected',
      40,
    ]);
    expect(commands).toEqual([[1], [2, 3, 4]]);
  });

  it('fails every item of a command that fails as a whole, and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(async (items) => {
      calls += 1;
      if (calls === 2) throw new Error('connection lost');
      return items;
    });
    const first = group.add(1);
    const failed = [2, 3].map((n) => group.add(n).catch((e: Error) => e.message));
    await first;
    expect(await Promise.all(failed)).toEqual(['connection lost', 'connection lost']);
    expect(await group.add(4)).toBe(4);
  });

  it('keeps at most maxItems in one command', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      await new Promise((r) => setImmediate(r));
      return items;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => group.add(n)));
    expect(sizes).toEqual([1, 2, 2, 1]);
  });
});

describe('writeErrorsByIndex', () => {
  it('maps a bulk error to its items, and a write concern error to the whole command', () => {
    const bulk = { writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000' }] };
    const errors = writeErrorsByIndex(bulk);
    expect([...errors.keys()]).toEqual([1]);
    expect((errors.get(1) as Error & { code: number }).code).toBe(11000);
    expect(writeErrorsByIndex({ ...bulk, writeConcernError: { code: 64 } }).size).toBe(0);
    expect(writeErrorsByIndex(new Error('network')).size).toBe(0);
  });
});
