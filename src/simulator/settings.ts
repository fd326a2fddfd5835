import { randomBytes } from 'node:crypto';
import type { WecomSettings } from '../channels/wecom/settings';

/** The corp id the simulator's WeCom answers to; shown nowhere but in callbacks. */
export const SIMULATOR_CORP_ID = 'wwkaohesimulator';

/** Where the simulator's WeCom API is mounted on the bot's own server. */
export const SIMULATOR_API_PATH = '/simulator/wecom/cgi-bin';

/**
 * WeCom settings for a simulated self-built app: fresh secrets at every start,
 * so nothing outside this process can sign a callback or take a token.
 * `botUrl` is the bot's own address, where the simulator's API lives too.
 */
export function simulatorWecomSettings(botUrl: string): WecomSettings {
  return {
    corpId: SIMULATOR_CORP_ID,
    agentId: 1000001,
    secret: randomBytes(24).toString('hex'),
    token: randomBytes(16).toString('hex'),
    // 32 random bytes are 43 characters of base64 once the padding is dropped, as WeCom's keys are.
    encodingAesKey: randomBytes(32).toString('base64').replace(/=+$/, ''),
    apiBase: `${botUrl}${SIMULATOR_API_PATH}`,
  };
}
