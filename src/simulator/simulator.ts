import type Router from '@koa/router';
import type { WecomSettings } from '../channels/wecom/settings';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { CycleService } from '../features/cycle/cycle-service';
import type { MonthRepository } from '../store/repositories/months';
import type { PeopleRepository } from '../store/repositories/people';
import { CallbackSender } from './callback-sender';
import { ChatLog } from './chat-log';
import { ChatSnapshot } from './chat-snapshot';
import { EventStreams } from './event-stream';
import { MediaStore } from './media-store';
import { MonthControls } from './month-controls';
import { registerPageApi } from './page-api';
import { registerPageFiles } from './page-files';
import { registerWecomApi } from './wecom-api';

/** What the simulator is built from: the WeCom app it plays, and the bot's roster and cycle. */
export interface SimulatorDeps {
  settings: WecomSettings;
  /** The bot's own address, where callbacks go. */
  botUrl: string;
  people: PeopleRepository;
  months: MonthRepository;
  cycle: CycleService;
  clock: Clock;
  timeZone: string;
  logger: Logger;
  /** Where the chats are kept across restarts; unset: in memory only. */
  snapshotFile?: string;
}

/**
 * The messenger simulator: a page at /simulator/ where anyone can be anyone on
 * the roster, and a fake WeCom behind it. The bot cannot tell it from WeCom:
 * what is typed arrives signed and encrypted at /wecom/callback, and what the
 * bot sends goes through its own WecomClient to the simulator's API.
 */
export function createSimulator(deps: SimulatorDeps) {
  const chats = new ChatLog();
  const media = new MediaStore();
  const streams = new EventStreams(chats);
  const sender = new CallbackSender(deps.settings, deps.botUrl, deps.clock);
  const controls = new MonthControls(deps.cycle, deps.clock, deps.timeZone);
  const snapshot = deps.snapshotFile
    ? new ChatSnapshot(deps.snapshotFile, chats, media, deps.logger)
    : undefined;
  snapshot?.start();
  return {
    chats,
    /** The WeCom app the simulator plays (for tests that speak to its API as the bot does). */
    settings: deps.settings,
    routes: (router: Router) => {
      registerWecomApi(router, { settings: deps.settings, chats, media, clock: deps.clock });
      registerPageApi(router, { ...deps, chats, sender, controls, streams });
      registerPageFiles(router, media);
    },
    /** Ends the page's open event streams, so the server can close, and saves the chats. */
    close: () => {
      streams.closeAll();
      snapshot?.flush();
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
