/** The admin console's staff directory page: uploading a feed, and the scheduled sync. Zod only. */
import { z } from 'zod';

/** 20 MB of feed text: about 150,000 records of a typical staff feed. */
export const MAX_FEED_BYTES = 20_000_000;

const flag = z.enum(['true', 'false'], 'must be true or false').transform((value) => value === 'true');

/**
 * An upload: the feed file itself is the request's body (any content type; its text is read as
 * UTF-8), and these say what to do with it.
 */
export const directoryImportQuery = z
  .object({
    /** The file's name: its extension (.json, .csv) says the format unless `format` is given. */
    fileName: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'),
    format: z.enum(['json', 'csv']).optional(),
    /** Disable the directory people missing from this feed (only for a full feed). */
    prune: flag.default(false),
    /** Check only: run the import and roll it back, so the answer says what applying would change. */
    dryRun: flag,
  })
  .strict();

export const importProblemSchema = z.object({
  position: z.string(),
  field: z.string().optional(),
  message: z.string(),
});

export const importSummarySchema = z.object({
  sources: z.array(z.string()),
  records: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  skipped: z.number(),
  disabled: z.number(),
  pruned: z.number(),
  membershipsEnded: z.number(),
  problems: z.array(importProblemSchema),
  warnings: z.array(importProblemSchema),
});

/**
 * The import answers with one JSON object per line (application/x-ndjson) as it goes, so that a
 * large feed shows its progress: `{"progress": …}` lines, then one `{"result": …}` or `{"error": …}`.
 */
export const importStreamLineSchema = z.union([
  z.object({ progress: z.object({ done: z.number(), total: z.number() }) }),
  z.object({ result: z.object({ dryRun: z.boolean(), summary: importSummarySchema }) }),
  z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) }),
]);

export const importRunSchema = z.object({
  at: z.string(),
  origin: z.enum(['cli', 'scheduled', 'web', 'unknown']),
  outcome: z.enum(['succeeded', 'failed']),
  actorName: z.string().nullable(),
  sources: z.array(z.string()),
  /** Counts of a run that succeeded. */
  counts: z
    .object({
      records: z.number(),
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      skipped: z.number(),
      disabled: z.number(),
    })
    .nullable(),
  error: z.string().nullable(),
});

export const directoryStatusSchema = z.object({
  /** The feeds of directory.feeds (URLs without their query string). */
  feeds: z.array(z.string()),
  syncCron: z.string().nullable(),
  prune: z.boolean(),
  timezone: z.string(),
  /** The next scheduled sync, when feeds and a cron are configured. */
  nextRunAt: z.string().nullable(),
  lastScheduledRun: importRunSchema.nullable(),
  /** The latest imports of any origin, newest first. */
  recentRuns: z.array(importRunSchema),
});

export type DirectoryImportQuery = z.input<typeof directoryImportQuery>;
export type ImportSummaryView = z.infer<typeof importSummarySchema>;
export type ImportStreamLine = z.infer<typeof importStreamLineSchema>;
export type ImportRun = z.infer<typeof importRunSchema>;
export type DirectoryStatus = z.infer<typeof directoryStatusSchema>;
