import { timedOnEvent } from '../../http/callback-metrics';
import type { ChatEvent, InlineReply } from '../types';
import type { Channel, ChannelContext, ChannelDefinition } from '../channel';
import { DingtalkClient } from './client';
import { DingtalkDirectory } from './directory';
import { dingtalkConfig } from './config';
import { DINGTALK_TEXT_MAX_BYTES, DingtalkMessenger } from './messenger';
import { registerDingtalkRoutes } from './receiver';
import type { DingtalkAppSettings } from './settings';
import type { DingtalkStream } from './stream-receiver';

/** DingTalk (钉钉): an internal app's robot, receiving over Stream mode or on /dingtalk/callback. */
export const dingtalkChannel: ChannelDefinition<'dingtalk', DingtalkAppSettings> = {
  platform: 'dingtalk',
  name: 'DingTalk',
  limits: {
    // DingTalk documents no per-person limit; the outbox kept WeCom's 30 for it before the
    // limit was the channel's, and keeps it until one is measured.
    perPersonPerMinute: 30,
    // The card template draws any number; the same 20 keeps a form reading alike on both.
    cardOptions: 20,
    textMaxBytes: DINGTALK_TEXT_MAX_BYTES,
  },
  config: dingtalkConfig,
  create({
    settings,
    inlineReplies,
    state,
    clock,
    logger,
    metrics,
    receive,
    answerInline,
  }: ChannelContext<DingtalkAppSettings>) {
    const limits = dingtalkChannel.limits;
    // A card tap is answered in the callback's response (the tapped card becomes the next one);
    // a typed message cannot be answered there, so it is stored and answered via its session webhook.
    const onEvent = (event: ChatEvent): Promise<InlineReply | null | void> =>
      inlineReplies && event.kind === 'action' ? answerInline(event, limits) : receive(event);
    const client = new DingtalkClient({ settings, state, logger });
    // With a card template, choices go as interactive cards; without one, as markdown answered by typing.
    // The clock also decides when a typed message's session webhook has expired.
    const messenger = new DingtalkMessenger(client, {
      cardTemplateId: settings.cardTemplateId,
      clock,
    });
    const channel: Channel = { platform: 'dingtalk', limits, messenger };
    if (settings.mode === 'http') {
      return {
        ...channel,
        routes: (router) =>
          registerDingtalkRoutes(router, { settings, onEvent, logger, state, metrics }),
      };
    }
    // Stream mode needs no public URL: the bot connects out to DingTalk when started.
    let stream: DingtalkStream | undefined;
    return {
      ...channel,
      async start() {
        // Loaded only in Stream mode: dingtalk-stream and its websocket client stay out of other processes.
        const { startDingtalkStream } = await import('./stream-receiver.js');
        stream = await startDingtalkStream({
          settings,
          onEvent: timedOnEvent(metrics, 'dingtalk', onEvent),
          logger,
          // DingTalk serves the stream's connection-open call from the same API host.
          endpoint: `${settings.apiBase}/v1.0/gateway/connections/open`,
        });
      },
      async stop() {
        await stream?.stop();
      },
    };
  },
  directory(settings, state, logger) {
    return new DingtalkDirectory(new DingtalkClient({ settings, state, logger }));
  },
};
