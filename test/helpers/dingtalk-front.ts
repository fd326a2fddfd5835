/**
 * One base URL for the DingTalk fakes, as DingTalk serves the stream's
 * connection-open call, its API and its session webhooks from its own hosts:
 * connection-open goes to the gateway fake, everything else to the API fake.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeDingtalk } from '../fakes/fake-dingtalk';
import type { FakeDingtalkStream } from '../fakes/fake-dingtalk-stream';

/** The running front: its base URL and how to close it. */
export interface DingtalkFront {
  base: string;
  close(): Promise<void>;
}

/** Starts the front on 127.0.0.1 with an ephemeral port. */
export async function startDingtalkFront(
  api: FakeDingtalk,
  gateway: FakeDingtalkStream,
): Promise<DingtalkFront> {
  const front: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target =
      req.url === '/v1.0/gateway/connections/open' ? gateway.endpoint : `${api.apiBase}${req.url}`;
    const answer = await fetch(target, {
      method: req.method,
      // Only the headers the APIs read: fetch refuses hop-by-hop ones such as connection.
      headers: Object.fromEntries(
        ['content-type', 'accept', 'x-acs-dingtalk-access-token'].flatMap((k) =>
          req.headers[k] ? [[k, String(req.headers[k])]] : [],
        ),
      ),
      body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
    });
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => front.close(() => resolve())),
  };
}

/** Waits (briefly, by polling) until the running bot has done what `done` checks. */
export async function until(
  done: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the bot');
    await new Promise((r) => setTimeout(r, 20));
  }
}
