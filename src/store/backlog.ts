import type { Model } from 'mongoose';
import type { Models } from './models';

/** What waits in a durable queue: how many items, and how long the oldest due one has waited. */
export interface Backlog {
  pending: number;
  /** Seconds since the oldest due item was stored; 0 when nothing is due. */
  oldestSeconds: number;
}

/** The inbox's and the outbox's backlogs, for /healthz and /metrics. */
export interface Backlogs {
  inbox: Backlog;
  outbox: Backlog;
}

/** Reads both queues' backlogs. */
export async function readBacklogs(
  models: Pick<Models, 'inbox' | 'outbox'>,
  now: Date,
): Promise<Backlogs> {
  const [inbox, outbox] = await Promise.all([
    backlogOf(models.inbox as never, ['pending', 'processing'], 'receivedAt', now),
    backlogOf(models.outbox as never, ['pending', 'sending'], 'createdAt', now),
  ]);
  return { inbox, outbox };
}

// A message held for working hours and not yet tried is waiting by design: it does not count for the age.
async function backlogOf(
  model: Model<Record<string, unknown>>,
  open: string[],
  storedAt: string,
  now: Date,
): Promise<Backlog> {
  const filter = { status: { $in: open } };
  const [pending, oldest] = await Promise.all([
    model.countDocuments(filter),
    model
      .findOne(
        { ...filter, $or: [{ notBefore: { $lte: now } }, { attempts: { $gt: 0 } }] },
        { [storedAt]: 1 },
      )
      .sort({ [storedAt]: 1 })
      .lean<Record<string, Date>>(),
  ]);
  const at = oldest?.[storedAt];
  const oldestSeconds = at ? Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000)) : 0;
  return { pending, oldestSeconds };
}
