import type { ChatEvent } from '../types';
import type { ChannelContext, ChannelDefinition } from '../channel';
import { WecomClient } from './client';
import { WECOM_TEXT_MAX_BYTES, WecomMessenger } from './messenger';
import { registerWecomRoutes } from './receiver';

/** WeCom (企业微信): a self-built app that receives on /wecom/callback. */
export const wecomChannel: ChannelDefinition<'wecom'> = {
  platform: 'wecom',
  limits: {
    // WeCom drops messages past 30 a minute to one person, silently: never go over.
    perPersonPerMinute: 30,
    cardOptions: 20,
    textMaxBytes: WECOM_TEXT_MAX_BYTES,
  },
  create({ config, state, logger, metrics, receive, answerInline }: ChannelContext) {
    const settings = config.wecom;
    if (!settings) return undefined;
    const limits = wecomChannel.limits;
    // Passive replies: the answer rides in the callback's response, within WeCom's text limit.
    const onEvent = config.inlineReplies.wecom
      ? (event: ChatEvent) => answerInline(event, limits)
      : receive;
    return {
      platform: 'wecom',
      limits,
      messenger: new WecomMessenger(new WecomClient({ settings, state, logger })),
      routes: (router) => registerWecomRoutes(router, { settings, onEvent, logger, metrics }),
    };
  },
};
