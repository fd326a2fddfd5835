import type { Router } from '@koa/router';
import type { ZodRawShape } from 'zod';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { StateStore } from '../state/state-store';
import type { ChannelConfigSpec } from './channel-config';
import type { DirectorySource } from './directory';
import type { Platform } from './index';
import type { ChatEvent, InlineReply, Messenger } from './types';

/** What a messenger allows; shared code asks the person's channel instead of assuming WeCom's. */
export interface ChannelLimits {
  /** API messages one person may get per minute (the outbox paces to it), or null when unlimited. */
  perPersonPerMinute: number | null;
  /** Most options one choice card can hold. */
  cardOptions: number;
  /** The longest text of one message, in UTF-8 bytes (longer texts go in pieces). */
  textMaxBytes: number;
}

/** A configured messenger: how to send, where its callbacks arrive, what it allows. */
export interface Channel {
  readonly platform: Platform;
  readonly messenger: Messenger;
  readonly limits: ChannelLimits;
  /** Mounts its callback routes (a receiver that listens on HTTP). */
  routes?(router: Router): void;
  /** Connects out (a receiver that needs no public URL), once the bot is ready. */
  start?(): Promise<void>;
  /** Closes what `start` opened, letting running callbacks finish. */
  stop?(): Promise<void>;
}

/**
 * What the composition root gives a channel; a channel knows nothing of
 * features, bot, store or the config loader: it gets its own settings.
 */
export interface ChannelContext<Settings = unknown> {
  /** What its config spec parsed from the environment. */
  settings: Settings;
  /** Its own switch for answering inside the callback's response. */
  inlineReplies: boolean;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Stores an event for the bot; its answer goes out through the messenger. */
  receive(event: ChatEvent): Promise<void>;
  /** Stores an event and answers it inside the callback's response when that is quick enough. */
  answerInline(event: ChatEvent, limits: ChannelLimits): Promise<InlineReply | null>;
}

/**
 * One messenger Kaohe can run in: its name, its limits, what it reads from the
 * environment, and how to build it from those settings.
 */
export interface ChannelDefinition<P extends string = Platform, Settings = unknown> {
  readonly platform: P;
  /** Its name as people know it (WeCom, DingTalk), for messages. */
  readonly name: string;
  readonly limits: ChannelLimits;
  /** Its environment variables and how they become its settings. */
  readonly config: ChannelConfigSpec<ZodRawShape, Settings>;
  /** The channel, once its settings are present (absent settings mean it is off and it is not built). */
  create(context: ChannelContext<Settings>): Channel;
  /** Reads the company directory with the app's credentials (`npm run roster -- sync`), where it can. */
  directory?(settings: Settings, state: StateStore, logger: Logger): DirectorySource;
}
