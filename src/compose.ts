import type { AppConfig } from '../config';
import type { RouteModule } from './http/app';
import { Bot } from './bot/bot';
import { ConversationStore } from './bot/conversation';
import { Inbox } from './messaging/inbox';
import { InlineAnswerer } from './bot/inline-answerer';
import { CHANNELS, PLATFORMS } from './channels';
import { FEATURES } from './features';
import type { FeatureDeps } from './features/feature';
import { createServices } from './features/services';
import { JobRunner } from './jobs/job-runner';
import type { ChannelDefinition } from './channels/channel';
import type { ChatEvent, Messenger, Platform } from './channels/types';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { Metrics } from './lib/metrics';
import { Poller } from './lib/poller';
import { OutboxSender } from './messaging/outbox-sender';
import type { StateStore } from './state/state-store';
import type { Models } from './store/models';
import { readBacklogs } from './store/backlog';

/** What the bot is built from. */
export interface KaoheDeps {
  config: AppConfig;
  models: Models;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  /** People sent to at the same time by the outbox sender (default 8). */
  senderConcurrency?: number;
  /** This instance's Prometheus series (default: a fresh registry). */
  metrics?: Metrics;
  /** First wait before a failed scheduled job is tried again (default 30 s). */
  jobRetryBaseMs?: number;
}

/**
 * Wires the bot: the services, every feature (features/index.ts) and every
 * configured channel (channels/index.ts), the inbox that stores every
 * callback before it is answered, and the outbox that sends every reply.
 * Nothing here listens or starts timers until `start()`.
 */
export function createKaohe(deps: KaoheDeps) {
  const { config, models, state, clock, logger } = deps;
  const services = createServices({ config, models, clock });
  const { people, months, assessments, records } = services.repositories;
  const { outbox, cycle, reports } = services;
  const conversations = new ConversationStore(state);
  const inbox = new Inbox(models, clock);
  const metrics = deps.metrics ?? new Metrics();

  const bot = new Bot({
    models,
    reads: services.repositories.eventReads,
    outbox,
    clock,
    logger,
    onQueued: () => outboxPoller.kick(),
  });
  const featureDeps: FeatureDeps = { config, services, state, conversations };
  for (const feature of FEATURES) feature.register(bot, featureDeps);
  const jobs = new JobRunner(
    FEATURES.flatMap((feature) => feature.jobs?.(featureDeps) ?? []),
    state,
    clock,
    logger,
    config.timeZone,
    { metrics, retryBaseMs: deps.jobRetryBaseMs },
  );

  const messengers = new Map<Platform, Messenger>();
  const routes: RouteModule[] = [];
  const sender = new OutboxSender(models, messengers, clock, logger, {
    concurrency: deps.senderConcurrency ?? 8,
    leaseMs: config.outboxLeaseMs,
    metrics,
  });
  const backlogs = () => readBacklogs(models, clock.now());
  metrics.observeDepth(async () => {
    const { inbox, outbox } = await backlogs();
    return { inbox: inbox.pending, outbox: outbox.pending };
  });
  const outboxPoller = new Poller('outbox', () => sender.drain(), 1000, logger);
  const inboxPoller = new Poller(
    'inbox',
    () => inbox.drain((e) => bot.handle(e)).then(() => outboxPoller.kick()),
    1000,
    logger,
  );
  const onEvent = async (event: ChatEvent) => {
    if (await inbox.accept(event)) inboxPoller.kick();
  };
  const answerer = new InlineAnswerer({
    inbox,
    bot,
    logger,
    budgetMs: config.inlineReplies.budgetMs,
    onQueued: () => {
      inboxPoller.kick();
      outboxPoller.kick();
    },
    // Said once a minute at most: the notice itself must not become the noise.
    mustWait: async (event, comingToo) =>
      (await sender.isPaced(event.platform, event.userId, comingToo)) &&
      (await state.setIfAbsent(`wait-notice:${event.userId}`, '1', 60_000)),
  });
  // Every configured messenger: its sender, its callback routes, and what it connects to.
  const channels = PLATFORMS.flatMap((platform) => {
    // Keyed alike in the list and the configuration, so these settings are this channel's own.
    const definition: ChannelDefinition<Platform, unknown> = CHANNELS[platform];
    const settings = config[platform];
    if (!settings) return [];
    return [
      definition.create({
        settings,
        inlineReplies: config.inlineReplies[platform],
        state,
        clock,
        logger,
        metrics,
        receive: onEvent,
        answerInline: (event, limits) => answerer.answer(event, limits),
      }),
    ];
  });
  for (const channel of channels) {
    messengers.set(channel.platform, channel.messenger);
    if (channel.routes) routes.push((router) => channel.routes!(router));
  }

  return {
    bot,
    people,
    months,
    assessments,
    service: services.assessment,
    cycle,
    jobs,
    records,
    reports,
    outbox,
    sender,
    inbox,
    routes,
    metrics,
    backlogs,
    /** Waits for the events being answered inside their callbacks to be finished (counted by tests and the bench). */
    async answered(): Promise<void> {
      await answerer.idle();
    },
    /** Handles every stored event and sends every due message, until nothing is left; for tests and tools. */
    async settle(): Promise<void> {
      await answerer.idle();
      for (;;) {
        const handled = await inbox.drain((e) => bot.handle(e));
        const sent = await sender.drain();
        if (handled === 0 && sent === 0) return;
      }
    },
    async start(): Promise<void> {
      inboxPoller.start();
      outboxPoller.start();
      if (config.cronEnabled) jobs.start();
      for (const channel of channels) await channel.start?.();
    },
    async stop(): Promise<void> {
      for (const channel of channels) await channel.stop?.();
      await answerer.idle();
      await jobs.stop();
      await inboxPoller.stop();
      await outboxPoller.stop();
    },
  };
}

export type Kaohe = ReturnType<typeof createKaohe>;
