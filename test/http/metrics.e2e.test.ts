import request from 'supertest';
import { BotHarness } from '../helpers/bot-harness';
import { callbackPath, textCallback } from '../helpers/wecom-callback';

describe('/metrics and /healthz', () => {
  let h: BotHarness;

  beforeAll(async () => {
    h = await BotHarness.start({ WECOM_PASSIVE_REPLIES: 'off' }); // sends go through the API, and are counted
  });
  afterAll(() => h.stop());

  it('serves the callback, latency, queue, send and job series in Prometheus text', async () => {
    await h.say('zhangwei', '/help');
    // A refusal by WeCom (40031: invalid user) fails that message for good, with its errcode.
    h.fake.failNext(1, 40031, '/message/send');
    await h.say('lina', '/help');
    const forged = textCallback(h.settings, { from: 'lina', content: '/help', msgId: '1' });
    const refused = await request(h.app.callback())
      .post(callbackPath({ ...forged.query, msg_signature: 'x' }))
      .set('content-type', 'text/xml')
      .send(forged.body);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    await h.kaohe.jobs.fire('remind-staff');

    const answer = await request(h.app.callback()).get('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    const text = answer.text;
    expect(text).toMatch(/kaohe_callbacks_total\{platform="wecom",outcome="accepted"\} 2/);
    expect(text).toMatch(/kaohe_callbacks_total\{platform="wecom",outcome="refused"\} 1/);
    expect(text).toMatch(/kaohe_callback_answer_seconds_bucket\{le="0.5",platform="wecom"\} \d/);
    expect(text).toMatch(/kaohe_callback_answer_seconds_count\{platform="wecom"\} 3/);
    expect(text).toMatch(/kaohe_sends_total\{platform="wecom",outcome="sent",errcode=""\} \d/);
    expect(text).toMatch(
      /kaohe_sends_total\{platform="wecom",outcome="failed",errcode="40031"\} 1/,
    );
    expect(text).toMatch(/kaohe_job_runs_total\{job="remind-staff",outcome="done"\} 1/);
    expect(text).toMatch(/kaohe_queue_depth\{queue="outbox"\} \d+/);
    expect(text).toMatch(/kaohe_queue_depth\{queue="inbox"\} 0/);
    expect(text).toContain('# TYPE kaohe_rate_limit_waits_total counter');
  });

  it('reports the backlog of the inbox and the outbox in /healthz', async () => {
    const answer = await request(h.app.callback()).get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      ok: true,
      mongo: 'up',
      redis: 'up',
      inbox: { pending: 0, oldestSeconds: 0 },
      outbox: { pending: expect.any(Number), oldestSeconds: expect.any(Number) },
    });
  });
});
