/**
 * The fan-out's measured floor: the same number of messages sent straight to
 * the fake WeCom, the same number in flight, with no database, no outbox and
 * no bot — what this machine allows, next to the theoretical minimum
 * (messages × latency ÷ concurrency). Sent to recipients of their own
 * (`floor-…`), so the bot's "nobody twice" count is not touched.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/** Seconds to send `messages` messages of about `bodyBytes` each, `concurrency` at a time. */
export async function sendFloor(options: {
  apiBase: string;
  corpId: string;
  secret: string;
  messages: number;
  concurrency: number;
  bodyBytes: number;
}): Promise<number> {
  const agent = new Agent({ connections: options.concurrency });
  const tokenUrl = `${options.apiBase}/gettoken?corpid=${options.corpId}&corpsecret=${options.secret}`;
  const token = (
    (await (await request(tokenUrl, { dispatcher: agent })).body.json()) as {
      access_token: string;
    }
  ).access_token;
  const url = `${options.apiBase}/message/send?access_token=${token}`;
  const content = '考'.repeat(Math.max(1, Math.floor(options.bodyBytes / 3)));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < options.messages; i = next++) {
      const body = JSON.stringify({
        touser: `floor-${i}`,
        msgtype: 'text',
        agentid: 1000002,
        text: { content },
      });
      const reply = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        dispatcher: agent,
      });
      const answer = (await reply.body.json()) as { errcode: number };
      if (answer.errcode !== 0) throw new Error(`floor send refused: ${answer.errcode}`);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await agent.close();
  return seconds;
}
