import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import type { ChatEntry, ChatLog } from './chat-log';

// Proxies and browsers drop a silent connection; a comment line every 15 s keeps it open.
const HEARTBEAT_MS = 15_000;

/** Server-sent events: every new or changed chat message, pushed to each open page. */
export class EventStreams {
  private readonly open = new Set<() => void>();

  constructor(private readonly chats: ChatLog) {}

  /** Answers `ctx` with an event stream that lasts until the page goes away. */
  serve(ctx: Context): void {
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set({ 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    ctx.type = 'text/event-stream';
    const stream = new PassThrough();
    ctx.status = 200;
    ctx.body = stream;

    const push = (entry: ChatEntry) =>
      stream.write(`data: ${JSON.stringify({ type: 'entry', entry })}\n\n`);
    const unsubscribe = this.chats.subscribe(push);
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(end);
      stream.end();
    };
    this.open.add(end);
    ctx.req.once('close', end);
    stream.write('retry: 2000\n\n');
  }

  /** Ends every stream, so the server can close. */
  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}
