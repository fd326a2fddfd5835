import type { AnyBulkWriteOperation, Model } from 'mongoose';

/**
 * Marks of finished items, written together in one bulkWrite instead of one
 * update each. A mark waits at most `maxWaitMs` or until `maxMarks` gather.
 * A crash before the write leaves those items claimed: once their lease runs
 * out they are worked again, exactly like a crash between working an item and
 * marking it, which is why work must already be safe to repeat (the outbox
 * sends with the platform's duplicate check).
 */
export class DoneMarks {
  private marks: AnyBulkWriteOperation[] = [];
  private oldest = 0;

  constructor(
    private readonly model: Model<never>,
    private readonly maxMarks = 64,
    private readonly maxWaitMs = 500,
  ) {}

  /** Adds the mark of one item; writes the gathered marks when there are enough or they waited long enough. */
  async add(id: unknown, set: Record<string, unknown>): Promise<void> {
    if (this.marks.length === 0) this.oldest = Date.now();
    this.marks.push({
      updateOne: { filter: { _id: id }, update: { $set: set, $inc: { attempts: 1 } } },
    } as AnyBulkWriteOperation);
    if (this.marks.length >= this.maxMarks || Date.now() - this.oldest >= this.maxWaitMs)
      await this.flush();
  }

  /** Writes every gathered mark. */
  async flush(): Promise<void> {
    if (this.marks.length === 0) return;
    const marks = this.marks;
    this.marks = [];
    // The driver's bulkWrite, not the model's: the marks are built above from values of the
    // schema's types already (an _id as read, a status, dates, numbers), and mongoose's casting
    // of 10,000 of them was a sizeable share of a fan-out's garbage.
    await this.model.collection.bulkWrite(marks as never, { ordered: false });
  }
}
