import type { ChatEvent } from '../../src/channels/types';
import { NOT_ON_ROSTER } from '../../src/bot/bot';
import { BotHarness, texts } from '../helpers/bot-harness';
import { textCallback } from '../helpers/wecom-callback';

// An event answered inside its callback skips the line; these hold it behind the person's earlier events.
describe('a callback behind the same person’s earlier events', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  /** `user` typed `text` earlier, and it still waits in the inbox (stored, not handled yet). */
  const waiting = async (user: string, text: string, id: string) => {
    const event: ChatEvent = {
      id: `wecom:msg:${id}`,
      platform: 'wecom',
      userId: user,
      at: h.clock.now(),
      kind: 'text',
      text,
    };
    expect(await h.kaohe.inbox.accept(event)).toBe(true);
  };

  it('is answered empty and handled after them, in the order they were typed', async () => {
    await h.say('lina', '/self');
    await waiting('lina', '9', '7700001');
    const answer = await h.post(
      textCallback(h.settings, { from: 'lina', content: '8', msgId: '7700002' }),
    );
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    await h.kaohe.settle();
    const doc = await h.kaohe.assessments.get('2024-05', 'lina');
    expect(Object.fromEntries(doc!.self.scores)).toEqual({ '1': 9, '2': 8 });
    expect(await h.models.inbox.countDocuments({ userid: 'lina', status: 'done' })).toBe(3);
  });

  it('holds for someone not on the roster too, who gets the roster notice for each', async () => {
    await waiting('visitor', '你好', '7700003');
    const answer = await h.post(
      textCallback(h.settings, { from: 'visitor', content: '在吗', msgId: '7700004' }),
    );
    expect(answer.text).toBe('');
    await h.kaohe.settle();
    expect(texts(h.newFor('visitor'))).toBe(`${NOT_ON_ROSTER}\n${NOT_ON_ROSTER}`);
  });
});
