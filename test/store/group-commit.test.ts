import { GroupCommit, writeErrorsByIndex } from '../../src/store/group-commit';

describe('GroupCommit', () => {
  it('sends the items asked for in one turn together, and what comes meanwhile in the next command, each settling with its own outcome', async () => {
    const commands: number[][] = [];
    let release = () => {};
    const group = new GroupCommit<number, number>(async (items) => {
      commands.push(items);
      if (commands.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((n) => (n === 3 ? new Error('three') : n * 10));
    });
    const first = [1, 2].map((n) => group.add(n));
    // The first command goes at the end of this turn of the event loop, before this wait ends.
    await new Promise((r) => setImmediate(r));
    expect(commands).toEqual([[1, 2]]);
    const rest = [3, 4, 5].map((n) => group.add(n));
    release();
    expect(await Promise.all(first)).toEqual([10, 20]);
    const outcomes = await Promise.allSettled(rest);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      'rejected',
      40,
      50,
    ]);
    expect(commands).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('fails every item of a command that fails as a whole, and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupCommit<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('connection lost');
      return items;
    });
    const failed = [1, 2].map((n) => group.add(n).catch((e: Error) => e.message));
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
    await Promise.all([1, 2, 3, 4, 5].map((n) => group.add(n)));
    expect(sizes).toEqual([2, 2, 1]);
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
