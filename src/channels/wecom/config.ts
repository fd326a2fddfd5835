import { flag, optional, stripSlash, url } from '../../lib/env-rules';
import type { ChannelConfigSpec } from '../channel-config';
import type { WecomSettings } from './settings';

const variables = {
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional.refine((v) => v === undefined || /^\d+$/.test(v), 'must be a number'),
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional.refine(
    (v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v),
    'must be 43 characters of base64 (as shown in the WeCom admin console)',
  ),
  WECOM_API_BASE: url(['http://', 'https://']),
  WECOM_PASSIVE_REPLIES: flag(true),
};

/** WeCom's environment variables (WECOM_*) and the settings they make. */
export const wecomConfig: ChannelConfigSpec<typeof variables, WecomSettings> = {
  variables,
  required: [
    'WECOM_CORP_ID',
    'WECOM_AGENT_ID',
    'WECOM_SECRET',
    'WECOM_TOKEN',
    'WECOM_ENCODING_AES_KEY',
  ],
  parse(env) {
    // The loader has checked that every required variable is set once the first one is.
    if (!env.WECOM_CORP_ID) return undefined;
    return {
      corpId: env.WECOM_CORP_ID,
      agentId: Number(env.WECOM_AGENT_ID),
      secret: env.WECOM_SECRET!,
      token: env.WECOM_TOKEN!,
      encodingAesKey: env.WECOM_ENCODING_AES_KEY!,
      apiBase: stripSlash(env.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com/cgi-bin'),
    };
  },
  // Passive replies: the answer to a typed message rides in the callback's response.
  inlineReplies: (env) => env.WECOM_PASSIVE_REPLIES,
};
