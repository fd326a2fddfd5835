import { z } from 'zod';
import cron from 'node-cron';

// Weights are decimals in the file but must add up exactly; four decimal
// places are enough for any percentage and let the core compute in integers.
const weight = z
  .number()
  .min(0)
  .max(1)
  .refine(
    (w) =>
      Number.isInteger(Math.round(w * 10000)) && Math.abs(w * 10000 - Math.round(w * 10000)) < 1e-6,
    {
      message: 'at most four decimal places',
    },
  );

const cronExpression = z
  .string()
  .refine((s) => cron.validate(s), { message: 'not a valid cron expression' });

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

const bounds = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((b) => b.min <= b.max, { message: 'min must not exceed max' });

export const criterionSchema = z.object({
  no: z.number().int().positive(),
  title: z.string().min(1),
  max: z.number().int().positive(),
  help: z.string().min(1),
  short: z.string().min(1).max(8).optional(),
});

/** An assessment file (config/assessment.json, or one in FORMS_DIR): form, weights, policies, schedule. */
export const assessmentSchema = z
  .object({
    // Whose form this is; a form in FORMS_DIR must name it, ASSESSMENT_FILE's defaults to 客服部.
    department: z.string().trim().min(1).max(20).optional(),
    formTitle: z.string().min(1),
    criteria: z.array(criterionSchema).min(1).max(20),
    adjustmentsTitle: z.string().min(1),
    weights: z.object({ self: weight, supervisor: weight }),
    policies: z.object({
      missingSelf: z.enum(['zero', 'supervisor']),
      showSelfToSupervisor: z.boolean(),
      gapThreshold: z.number().nonnegative(),
      recordPoints: bounds,
      monthlyAdjustmentCap: bounds.nullable(),
      leaderScope: z.enum(['team', 'all']),
      recordNotice: z.enum(['immediate', 'digest']),
      // Results: days after close to confirm or appeal, and whether silence confirms.
      appealDays: z.number().int().min(0).max(30).optional(),
      silentConfirm: z.boolean().optional(),
      // /report flags a supervisor whose average differs from the department's by more.
      calibrationThreshold: z.number().nonnegative().optional(),
    }),
    schedule: z.object({
      open: cronExpression,
      remindStaff: cronExpression,
      askSupervisors: cronExpression,
      remindSupervisors: cronExpression,
      close: cronExpression,
      recordDigest: cronExpression,
      // Silent confirmations and reminders of open appeals; hourly when unset.
      appeals: cronExpression.optional(),
    }),
    workingHours: z
      .object({ start: clockTime, end: clockTime })
      .refine((h) => h.start < h.end, { message: 'start must be before end' }),
  })
  .superRefine((a, ctx) => {
    const sum = Math.round(a.weights.self * 10000) + Math.round(a.weights.supervisor * 10000);
    if (sum !== 10000) {
      ctx.addIssue({
        code: 'custom',
        path: ['weights'],
        message: `weights must sum to 1 (got ${sum / 10000})`,
      });
    }
    const numbers = a.criteria.map((c) => c.no);
    if (new Set(numbers).size !== numbers.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['criteria'],
        message: 'criterion numbers must be unique',
      });
    }
    // A card offers every score 0..max as a choice; platform cards hold at most 20.
    a.criteria.forEach((c, i) => {
      if (c.max > 19) {
        ctx.addIssue({
          code: 'custom',
          path: ['criteria', i, 'max'],
          message: 'max points must be at most 19',
        });
      }
    });
  });

export type AssessmentSettings = z.infer<typeof assessmentSchema>;
