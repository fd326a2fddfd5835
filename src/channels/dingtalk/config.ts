import { flag, optional, stripSlash, url } from '../../lib/env-rules';
import type { ChannelConfigSpec } from '../channel-config';
import type { DingtalkAppSettings } from './settings';

const variables = {
  DINGTALK_APP_KEY: optional,
  DINGTALK_APP_SECRET: optional,
  DINGTALK_ROBOT_CODE: optional,
  DINGTALK_MODE: optional.refine(
    (v) => v === undefined || v === 'stream' || v === 'http',
    'must be stream or http',
  ),
  DINGTALK_CARD_TEMPLATE_ID: optional,
  DINGTALK_INLINE_REPLIES: flag(true),
  DINGTALK_API_BASE: url(['http://', 'https://']),
};

/** DingTalk's environment variables (DINGTALK_*) and the settings they make. */
export const dingtalkConfig: ChannelConfigSpec<typeof variables, DingtalkAppSettings> = {
  variables,
  required: ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'],
  parse(env) {
    // The loader has checked that every required variable is set once the first one is.
    if (!env.DINGTALK_APP_KEY) return undefined;
    return {
      appKey: env.DINGTALK_APP_KEY,
      appSecret: env.DINGTALK_APP_SECRET!,
      robotCode: env.DINGTALK_ROBOT_CODE!,
      mode: (env.DINGTALK_MODE as 'stream' | 'http' | undefined) ?? 'stream',
      cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID,
      apiBase: stripSlash(env.DINGTALK_API_BASE ?? 'https://api.dingtalk.com'),
    };
  },
  // Card taps are answered in the callback's response; typed messages never are.
  inlineReplies: (env) => env.DINGTALK_INLINE_REPLIES,
};
