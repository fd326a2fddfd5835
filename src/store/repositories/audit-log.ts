import type { Models } from '../models';
import type { AuditDoc } from '../models/audit';

/** Appends to the audit trail; entries are never changed or removed. */
export class AuditLog {
  constructor(private readonly models: Pick<Models, 'audit'>) {}

  /** Records one change. */
  async record(entry: Omit<AuditDoc, 'reason'> & { reason?: string | null }): Promise<void> {
    await this.models.audit.create({ ...entry, reason: entry.reason ?? null });
  }

  /** The trail of one thing, oldest first. */
  async history(entity: string, entityId: string): Promise<AuditDoc[]> {
    return this.models.audit.find({ entity, entityId }).sort({ at: 1 }).lean<AuditDoc[]>();
  }
}
