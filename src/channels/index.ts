/**
 * The list of messengers Kaohe runs in. Adding one means a folder beside
 * wecom/ and dingtalk/ (its client, receiver, messenger and `channel.ts`),
 * and its name and definition below.
 */
import type { ChannelDefinition, ChannelLimits } from './channel';
import { dingtalkChannel } from './dingtalk/channel';
import { wecomChannel } from './wecom/channel';

/** Every platform's name: the database, the roster and the configuration accept exactly these. */
export const PLATFORMS = ['wecom', 'dingtalk'] as const;

/** A messenger Kaohe runs in. */
export type Platform = (typeof PLATFORMS)[number];

/** Every channel, one per platform. */
export const CHANNELS: { [P in Platform]: ChannelDefinition<P> } = {
  wecom: wecomChannel,
  dingtalk: dingtalkChannel,
};

/** What a platform allows (pacing, card options, text length). */
export function limitsOf(platform: Platform): ChannelLimits {
  return CHANNELS[platform].limits;
}
