import type { CardAction, ChatEvent } from '../channels/types';
import { quoteInput } from '../lib/quote-input';
import type { Clock } from '../lib/clock';
import { isAppError } from '../lib/errors';
import { isInfrastructureError } from '../lib/infra-error';
import type { Logger } from '../lib/logger';
import type { Outbox } from '../messaging/outbox';
import type { Models } from '../store/models';
import type { CardDoc } from '../store/models/card';
import type { Person, Role } from '../store/models/person';
import type { EventReadRepository } from '../store/repositories/event-reads';
import { BotContext } from './context';
import { decodeRouteStep, splitStepKey } from './step-route';
import type { InlineSlot } from './inline-slot';
import { hasRole, ROLE_NAMES } from './roles';

/** A chat command: its names (`/self` and the Chinese alias), who may use it, and what it does. */
export interface Command {
  names: string[];
  roles?: readonly Role[];
  /** One line for /help. */
  help: string;
  /** `args` is the rest of the message after the command word, trimmed. */
  run(ctx: BotContext, args: string): Promise<void>;
}

/** Handles taps on cards made by one flow. */
export type ActionHandler = (ctx: BotContext, card: CardDoc, action: CardAction) => Promise<void>;

/** How handling an event ended: handled, or left untouched behind the person's earlier events. */
export type Handled = 'handled' | 'behind';

/** Handles text that is not a command; returns false when it is not for it. */
export type TextHandler = (ctx: BotContext, text: string) => Promise<boolean>;

/** What the bot needs around it. */
export interface BotDeps {
  models: Pick<Models, 'cards'>;
  /** The one read of what an event needs (the person, the open months, the tapped card). */
  reads: EventReadRepository;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  /** Told when replies were queued before an event's handling ends (to send them at once). */
  onQueued?: () => void;
}

export const NOT_ON_ROSTER = '你不在考核名单中。如有疑问，请联系管理处经理。';
// Only bugs get this reply: the message is not handled, so it must not claim the input was saved.
const FAILED = '抱歉，系统出了点问题，这条消息没有处理成功。请稍后再试。';
const UNKNOWN = '没看懂这条消息。发送 /help 查看可用的命令。';

/**
 * Turns events into flow calls. Flows register commands, card-tap handlers
 * and free-text handlers; the bot identifies the person, checks roles,
 * catches flow errors (one boundary: a short reply and a log line) and stores
 * every reply in the outbox.
 */
export class Bot {
  readonly commands: Command[] = [];
  private readonly actions = new Map<string, ActionHandler>();
  private readonly texts: TextHandler[] = [];

  constructor(private readonly deps: BotDeps) {}

  /** Registers a command. */
  command(command: Command): void {
    this.commands.push(command);
  }

  /** Registers the handler of taps on cards sent by `flow`. */
  action(flow: string, handler: ActionHandler): void {
    this.actions.set(flow, handler);
  }

  /** Registers a handler of free text, tried in registration order. */
  text(handler: TextHandler): void {
    this.texts.push(handler);
  }

  /**
   * Handles one stored event to the end: every reply is in the outbox when this
   * returns, but for what the inline slot took to answer inside the callback.
   * An event answered inside its callback is handled out of its person's line,
   * so it comes with its place in line (`order`) and is `behind`, untouched,
   * when the person's earlier events still wait (the inbox then queues it).
   */
  async handle(event: ChatEvent, inline?: { slot: InlineSlot; order: number }): Promise<Handled> {
    const log = this.deps.logger.child({
      event: event.id,
      platform: event.platform,
      user: event.userId,
    });
    // Identity is (platform, userid): a DingTalk sender never acts as the WeCom person of that id.
    const tapped = event.kind === 'action' ? event.action?.cardId : undefined;
    const reads = await this.deps.reads.read(event.platform, event.userId, tapped, inline?.order);
    if (reads.earlierWaiting) return 'behind';
    const { person } = reads;
    const ctx = new BotContext(
      event,
      person ?? stranger(event),
      this.deps.clock.now(),
      { models: this.deps.models, outbox: this.deps.outbox, sent: this.deps.onQueued },
      inline?.slot,
      reads,
    );
    if (!person?.active) {
      if (event.kind !== 'enter') ctx.reply(NOT_ON_ROSTER);
    } else {
      try {
        await this.dispatch(ctx, person);
      } catch (err) {
        // Redis or the database away: nothing is answered or stored now; the inbox retries the event.
        if (isInfrastructureError(err)) throw err;
        if (isAppError(err) && err.expose) ctx.reply(err.message);
        else {
          log.error({ err }, 'flow failed');
          ctx.reply(FAILED);
        }
      }
    }
    await ctx.flush(this.deps.models, this.deps.outbox);
    log.info({ kind: event.kind, replies: ctx.replyCount }, 'event handled');
    return 'handled';
  }

  private async dispatch(ctx: BotContext, person: Person): Promise<void> {
    const { event } = ctx;
    if (event.kind === 'action' && event.action) return this.dispatchAction(ctx, event.action);
    if (event.kind !== 'text' || !event.text) return;
    const [word = '', ...rest] = event.text.trim().split(/\s+/);
    const command = this.findCommand(word);
    if (command) {
      if (command.roles && !hasRole(person, command.roles)) {
        ctx.reply(
          `${quoteInput(word)}仅限${command.roles.map((r) => ROLE_NAMES[r]).join('、')}使用。`,
        );
        return;
      }
      return command.run(ctx, rest.join(' '));
    }
    for (const handler of this.texts) if (await handler(ctx, event.text.trim())) return;
    ctx.reply(UNKNOWN);
  }

  private async dispatchAction(ctx: BotContext, action: CardAction): Promise<void> {
    // The tapped card came with the event's one read (its owner is checked below).
    const stored = ctx.reads.card;
    // A card replaced in place reports which step a tap answers on its keys: the
    // route itself, or (cards replaced before routes rode on keys) a step id stored with it.
    const { key, step } = splitStepKey(action.key);
    const route = step ? (decodeRouteStep(step) ?? stored?.steps?.[step]) : stored;
    const card = stored && route ? { ...stored, flow: route.flow, data: route.data } : undefined;
    const handler =
      card && card.userid === ctx.person.userid ? this.actions.get(card.flow) : undefined;
    if (!card || !handler) {
      ctx.reply('这张卡片已失效。发送 /help 查看可用的命令。');
      return;
    }
    await handler(ctx, card, { ...action, key });
  }

  /** The command a word names, ignoring case and a full-width slash. */
  findCommand(word: string): Command | undefined {
    const normalized = word.replace(/^／/, '/').toLowerCase();
    return this.commands.find((c) => c.names.some((n) => n.toLowerCase() === normalized));
  }
}

function stranger(event: ChatEvent): Person {
  const now = new Date(0);
  return {
    userid: event.userId,
    name: '',
    employeeNo: '',
    roles: [],
    supervisorUserid: null,
    platform: event.platform,
    active: false,
    joinedAt: now,
    updatedAt: now,
  };
}
