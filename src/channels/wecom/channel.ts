import type { ChatEvent } from '../types';
import type { ChannelContext, ChannelDefinition } from '../channel';
import type { WecomSettings } from './settings';
import { WecomClient } from './client';
import { WecomDirectory } from './directory';
import { wecomConfig } from './config';
import { WECOM_TEXT_MAX_BYTES, WecomMessenger } from './messenger';
import { registerWecomRoutes } from './receiver';

/** WeCom (企业微信): a self-built app that receives on /wecom/callback. */
export const wecomChannel: ChannelDefinition<'wecom', WecomSettings> = {
  platform: 'wecom',
  name: 'WeCom',
  limits: {
    // WeCom drops messages past 30 a minute to one person, silently: never go over.
    perPersonPerMinute: 30,
    cardOptions: 20,
    textMaxBytes: WECOM_TEXT_MAX_BYTES,
  },
  config: wecomConfig,
  create({
    settings,
    inlineReplies,
    state,
    logger,
    metrics,
    receive,
    answerInline,
  }: ChannelContext<WecomSettings>) {
    const limits = wecomChannel.limits;
    // Passive replies: the answer rides in the callback's response, within WeCom's text limit.
    const onEvent = inlineReplies ? (event: ChatEvent) => answerInline(event, limits) : receive;
    return {
      platform: 'wecom',
      limits,
      messenger: new WecomMessenger(new WecomClient({ settings, state, logger })),
      routes: (router) => registerWecomRoutes(router, { settings, onEvent, logger, metrics }),
    };
  },
  directory(settings, state, logger) {
    return new WecomDirectory(new WecomClient({ settings, state, logger }));
  },
};
