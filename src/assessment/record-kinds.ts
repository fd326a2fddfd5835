/** Kinds of line-12 record: daily check, customer praise, complaint, manager's spot check, other. */
export const RECORD_KINDS = ['daily', 'praise', 'complaint', 'spot', 'other'] as const;

/** One kind of line-12 record. */
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Kinds of record, as the bot names them to users. */
export const KIND_NAMES: Record<RecordKind, string> = {
  daily: '日常检查',
  praise: '表扬',
  complaint: '投诉',
  spot: '抽查',
  other: '其他',
};
