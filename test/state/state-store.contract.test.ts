import { MemoryStateStore } from '../../src/state/memory-state-store';
import type { StateStore } from '../../src/state/state-store';
import { testRedisStore } from '../helpers/redis';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// One contract, two implementations: whatever the bot relies on must hold for both.
describe.each([
  ['in-process', () => new MemoryStateStore()],
  ['redis', () => testRedisStore()],
])('StateStore (%s)', (kind, create: () => StateStore) => {
  let store: StateStore;
  beforeEach(() => {
    store = create();
  });
  afterEach(async () => {
    await store.close();
  });

  it('names its kind and answers ping', async () => {
    expect(store.kind).toBe(kind);
    expect(await store.ping()).toBe(true);
  });

  it('gets what was set, and null for what was not', async () => {
    expect(await store.get('a')).toBeNull();
    await store.set('a', '1');
    expect(await store.get('a')).toBe('1');
    await store.set('a', '2');
    expect(await store.get('a')).toBe('2');
  });

  it('forgets a value after its time to live', async () => {
    await store.set('short', 'x', 30);
    await store.set('long', 'y', 10_000);
    await sleep(80);
    expect(await store.get('short')).toBeNull();
    expect(await store.get('long')).toBe('y');
  });

  it('sets if absent only once (dedupe)', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => store.setIfAbsent('once', String(n), 10_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = String(results.indexOf(true) + 1);
    expect(await store.get('once')).toBe(winner);
  });

  it('can take a lock again once it expired', async () => {
    expect(await store.setIfAbsent('lock', 'a', 30)).toBe(true);
    expect(await store.setIfAbsent('lock', 'b', 30)).toBe(false);
    await sleep(80);
    expect(await store.setIfAbsent('lock', 'b', 1000)).toBe(true);
  });

  it('releases a lock only for its holder', async () => {
    await store.setIfAbsent('lock', 'holder', 10_000);
    expect(await store.deleteIfEquals('lock', 'someone-else')).toBe(false);
    expect(await store.get('lock')).toBe('holder');
    expect(await store.deleteIfEquals('lock', 'holder')).toBe(true);
    expect(await store.get('lock')).toBeNull();
  });

  it('deletes', async () => {
    await store.set('gone', 'x');
    await store.delete('gone');
    expect(await store.get('gone')).toBeNull();
    await store.delete('never-there');
  });
});
