import type { AppConfig } from '../config';
import type { RouteModule } from './http/app';
import { Bot } from './bot/bot';
import { ConversationStore } from './bot/conversation';
import { Inbox } from './messaging/inbox';
import { InlineAnswerer } from './bot/inline-answerer';
import type { ChatEvent, InlineReply, Messenger, Platform } from './channels/types';
import { DingtalkClient } from './channels/dingtalk/client';
import { DINGTALK_TEXT_MAX_BYTES, DingtalkMessenger } from './channels/dingtalk/messenger';
import { registerDingtalkRoutes } from './channels/dingtalk/receiver';
import { startDingtalkStream, type DingtalkStream } from './channels/dingtalk/stream-receiver';
import { WecomClient } from './channels/wecom/client';
import { WECOM_TEXT_MAX_BYTES, WecomMessenger } from './channels/wecom/messenger';
import { registerWecomRoutes } from './channels/wecom/receiver';
import { combineNotes, evidenceNote, lineTwelveNote, selfScoreNote } from './features/forms/criterion-notes';
import { registerRecords } from './features/records/record-commands';
import { registerReport } from './features/reports/report-command';
import { ReportService } from './features/reports/report-service';
import { registerRecordWizard } from './features/records/record-wizard';
import { RecordService } from './features/records/record-service';
import { FormFlow } from './features/forms/form-flow';
import { openingCard } from './features/forms/form-steps';
import { registerFormCommands } from './features/forms/form-commands';
import { registerHelp } from './features/help/help';
import { registerManagerCommands } from './features/cycle/manager-commands';
import { JobRunner } from './jobs/job-runner';
import { monthlyJobs } from './features/cycle/monthly-jobs';
import { CorrectionService } from './features/cycle/correction-service';
import { createAppeals } from './features/appeals';
import { CycleService } from './features/cycle/cycle-service';
import { registerSelfAssessment } from './features/forms/self-assessment';
import { registerStatus } from './features/forms/status';
import { registerSupervisorReview } from './features/forms/supervisor-review';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { Metrics } from './lib/metrics';
import { timedOnEvent } from './http/callback-metrics';
import { Poller } from './lib/poller';
import { Outbox } from './messaging/outbox';
import { OutboxSender } from './messaging/outbox-sender';
import { AssessmentService } from './features/forms/assessment-service';
import type { StateStore } from './state/state-store';
import type { Models } from './store/models';
import { createRepositories } from './store/repositories';
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
 * Wires the bot: repositories, services, flows, the inbox that stores every
 * callback before it is answered, and the outbox that sends every reply.
 * Nothing here listens or starts timers until `start()`.
 */
export function createKaohe(deps: KaoheDeps) {
  const { config, models, state, clock, logger } = deps;
  const repositories = createRepositories(models);
  const { people, months, assessments, records } = repositories;
  const service = new AssessmentService(months, assessments, people, clock);
  const conversations = new ConversationStore(state);
  const outbox = new Outbox(models);
  const inbox = new Inbox(models, clock);
  const metrics = deps.metrics ?? new Metrics();

  const recordService = new RecordService({ models, months, people, records, outbox, clock });
  // What most services are built from.
  const core = { models, months, assessments, people, records, outbox, clock };
  const corrections = new CorrectionService(core);
  // Results: confirmation and appeals (issue 13); built first, as the close sends its card.
  const appeals = createAppeals(
    {
      ...{ ...core, corrections },
      ...{ appeals: repositories.appeals, confirmations: repositories.confirmations },
      ...{ recordService, timeZone: config.timeZone },
    },
    {
      schedule: config.assessment.schedule.appeals,
      workingHours: config.assessment.workingHours,
    },
  );
  const cycle = new CycleService({
    ...core,
    form: () => config.assessment,
    openingCard,
    resultCard: appeals.resultCard,
  });
  const jobs = new JobRunner(
    [...monthlyJobs(cycle, recordService, config), ...appeals.jobs],
    state,
    clock,
    logger,
    config.timeZone,
    { metrics, retryBaseMs: deps.jobRetryBaseMs },
  );

  const bot = new Bot({
    models,
    people,
    outbox,
    clock,
    logger,
    onQueued: () => outboxPoller.kick(),
  });
  const flow = new FormFlow(
    service,
    conversations,
    combineNotes(selfScoreNote, evidenceNote(records)),
    lineTwelveNote(records),
  );
  registerHelp(bot);
  registerSelfAssessment(bot, flow, service);
  registerSupervisorReview(bot, flow, service);
  registerStatus(bot, service);
  registerFormCommands(bot, flow, conversations, service);
  registerManagerCommands(bot, cycle, corrections);
  registerRecords(bot, recordService);
  registerRecordWizard(bot, recordService, state);
  const reports = new ReportService({
    months,
    assessments,
    people,
    records,
    responses: (month) => appeals.view.responses(month),
  });
  registerReport(bot, reports);
  appeals.register(bot, state);

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
    mustWait: async (userid, comingToo) =>
      (await sender.isPaced(userid, comingToo)) &&
      (await state.setIfAbsent(`wait-notice:${userid}`, '1', 60_000)),
  });
  if (config.wecom) {
    const client = new WecomClient({ settings: config.wecom, state, logger });
    messengers.set('wecom', new WecomMessenger(client));
    // Passive replies: the answer rides in the callback's response, within WeCom's text limit.
    const onWecomEvent = config.inlineReplies.wecom
      ? (event: ChatEvent) => answerer.answer(event, { textMaxBytes: WECOM_TEXT_MAX_BYTES })
      : onEvent;
    routes.push((router) =>
      registerWecomRoutes(router, {
        settings: config.wecom!,
        onEvent: onWecomEvent,
        logger,
        metrics,
      }),
    );
  }

  // A card tap is answered in the callback's response (the tapped card becomes the next one);
  // a typed message cannot be answered there, so it is stored and answered via its session webhook.
  const onDingtalkEvent = (event: ChatEvent): Promise<InlineReply | null | void> =>
    config.inlineReplies.dingtalk && event.kind === 'action'
      ? answerer.answer(event, { textMaxBytes: DINGTALK_TEXT_MAX_BYTES })
      : onEvent(event);
  if (config.dingtalk) {
    const client = new DingtalkClient({ settings: config.dingtalk, state, logger });
    // With a card template, choices go as interactive cards; without one, as markdown answered by typing.
    // The clock also decides when a typed message's session webhook has expired.
    messengers.set(
      'dingtalk',
      new DingtalkMessenger(client, { cardTemplateId: config.dingtalk.cardTemplateId, clock }),
    );
    if (config.dingtalk.mode === 'http') {
      routes.push((router) =>
        registerDingtalkRoutes(router, {
          settings: config.dingtalk!,
          onEvent: onDingtalkEvent,
          logger,
          state,
          metrics,
        }),
      );
    }
  }
  // Stream mode needs no public URL: the bot connects out to DingTalk when started.
  const streamSettings = config.dingtalk?.mode === 'stream' ? config.dingtalk : undefined;
  let stream: DingtalkStream | undefined;

  return {
    bot,
    people,
    months,
    assessments,
    service,
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
      if (streamSettings) {
        // DingTalk serves the stream's connection-open call from the same API host.
        const endpoint = `${streamSettings.apiBase}/v1.0/gateway/connections/open`;
        stream = await startDingtalkStream({
          settings: streamSettings,
          onEvent: timedOnEvent(metrics, 'dingtalk', onDingtalkEvent),
          logger,
          endpoint,
        });
      }
    },
    async stop(): Promise<void> {
      await stream?.stop();
      await answerer.idle();
      await jobs.stop();
      await inboxPoller.stop();
      await outboxPoller.stop();
    },
  };
}

export type Kaohe = ReturnType<typeof createKaohe>;
