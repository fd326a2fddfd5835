/**
 * The list of messengers Kaohe runs in. Adding one means a folder beside
 * wecom/ and dingtalk/ (its settings, `config.ts` with its environment
 * variables, client, receiver, messenger and `channel.ts`), and one line in
 * CHANNELS below: the platform list, the configuration and the composition
 * root all read this list.
 */
import type { ChannelDefinition, ChannelLimits } from './channel';
import { dingtalkChannel } from './dingtalk/channel';
import { wecomChannel } from './wecom/channel';

/** Every channel, keyed by its platform name. */
export const CHANNELS = {
  wecom: wecomChannel,
  dingtalk: dingtalkChannel,
};

/** A messenger Kaohe runs in. */
export type Platform = keyof typeof CHANNELS;

/** The settings a platform's channel reads from the environment (what its config spec parses). */
export type SettingsOf<P extends Platform> =
  (typeof CHANNELS)[P] extends ChannelDefinition<P, infer S> ? S : never;

// Each channel must sit under its own platform name: a misplaced one fails the typecheck here.
const keyedByPlatform: { [P in Platform]: ChannelDefinition<P, SettingsOf<P>> } = CHANNELS;

/** Every platform's name, in the list's order: the database, the roster and the configuration accept exactly these. */
export const PLATFORMS = Object.keys(keyedByPlatform) as [Platform, ...Platform[]];

/** What a platform allows (pacing, card options, text length). */
export function limitsOf(platform: Platform): ChannelLimits {
  return CHANNELS[platform].limits;
}
