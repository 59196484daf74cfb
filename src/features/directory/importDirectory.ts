import { setImmediate as nextTurn } from 'node:timers/promises';
import { recordAudit } from '../../db/audit.js';
import type { Db, Tx } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, conflict } from '../../lib/errors.js';
import { issuePath } from '../../lib/zodMessage.js';
import { leaveAllGroups } from '../mixers/membership.js';
import type { PersonRow } from '../people/presenters.js';
import { chunks, countAdmins, externalIdsOfPeople, findPeopleBy, personIdsByExternalId } from '../people/queries.js';
import { createPerson, linkExternalId, updatePerson } from '../people/service.js';
import { disableMissing, retirePeople } from './cleanup.js';
import { describeSource, detectFormat, type FeedEntry, loadFeed, parseFeedText } from './parseFeed.js';
import { type DirectoryRecord, directoryRecordSchema, type FeedFormat } from './schemas.js';
import { DIRECTORY_SOURCE } from './source.js';

export interface ImportProblem {
  /** `[12]` in a JSON feed, `line 13` in a CSV feed (prefixed by the feed when there are several). */
  position: string;
  field?: string;
  message: string;
}

export interface ImportSummary {
  /** The feeds read (URLs without their query string). */
  sources: string[];
  /** Records in the feed, good and bad. */
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Records not imported; `problems` says why. */
  skipped: number;
  /** People enabled before this import and disabled by it (by the feed, or missing with prune). */
  disabled: number;
  /** Of those, the people disabled because they were missing from the feed. */
  pruned: number;
  /** Group memberships ended because their person is disabled. */
  membershipsEnded: number;
  /** Why records were skipped (a record with several bad fields has one problem per field). */
  problems: ImportProblem[];
  /** Imported, but something was left out: an unknown manager, a prune that was not safe to do. */
  warnings: ImportProblem[];
}

export interface ImportProgress {
  done: number;
  total: number;
}

export interface ImportDirectoryProps {
  db: Db;
  /** Feed file paths or http(s) URLs. Several feeds make one directory (an id must be unique across them). */
  source?: string | string[];
  /** Records given directly instead of a source (positions `[0]`, `[1]`…). */
  records?: unknown[];
  /** A feed's text, as uploaded in the admin console, read by the same parser as a file. */
  upload?: { text: string; name: string };
  /** Forces the feed format instead of detecting it. */
  format?: FeedFormat;
  /** Disable the directory people who are missing from the feed (and end their memberships). */
  prune?: boolean;
  /** Called after each committed batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Records per transaction. */
  batchSize?: number;
  /** Time zone of new people whose record has none. */
  defaultTimezone?: string;
  actorId?: string | null;
  /** The client address of the admin's request, for the log of changes. */
  ip?: string | null;
  fetchTimeoutMs?: number;
  /**
   * Everything in one transaction: an import that fails half-way changes nothing (the admin
   * console's). Without it each batch commits on its own and a re-run completes a crashed import.
   */
  wholeOrNothing?: boolean;
  /** Runs the whole import in one transaction and rolls it back: the summary says what it would do. */
  dryRun?: boolean;
  /** Who started it, kept in the log of changes: the CLI, the scheduled sync or the admin console. */
  origin?: ImportOrigin;
}

export const importOrigins = ['cli', 'scheduled', 'web'] as const;
export type ImportOrigin = (typeof importOrigins)[number];

/** Records validated between two turns of the event loop, so a server answers while a big feed is read. */
const VALIDATED_PER_TURN = 500;

/** Thrown at the end of a dry run to roll its transaction back. */
class DryRunDone extends Error {}

export const DEFAULT_BATCH_SIZE = 500;
const AUDITED_PROBLEMS = 20;

/** `[12].enabled: must be…` in JSON, `line 13, enabled: must be…` in CSV. */
export function formatProblem(problem: ImportProblem): string {
  if (!problem.field) return `${problem.position}: ${problem.message}`;
  const joiner = problem.position.endsWith(']') ? '.' : ', ';
  return `${problem.position}${joiner}${problem.field}: ${problem.message}`;
}

interface ValidRecord {
  position: string;
  record: DirectoryRecord;
}

type Outcome = 'created' | 'updated' | 'unchanged';

interface Applied {
  position: string;
  personId: string;
  outcome: Outcome;
  /** The manager's username; null clears it, undefined (no manager column) leaves it alone. */
  manager: string | null | undefined;
}

interface BatchResult {
  applied: Applied[];
  problems: ImportProblem[];
  warnings: ImportProblem[];
  disabled: number;
  membershipsEnded: number;
}

/** The directory id of a record, even one that is otherwise invalid: such a person is not "missing". */
function looseId(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const id = (data as { id?: unknown }).id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  if (typeof id === 'string' && id.trim()) return id.trim();
  return undefined;
}

function validate(entry: FeedEntry): ValidRecord | ImportProblem[] {
  if (entry.problem) return [{ position: entry.position, message: entry.problem }];
  if (entry.data === null || typeof entry.data !== 'object' || Array.isArray(entry.data)) {
    return [{ position: entry.position, message: 'must be an object with id, auth_username, first_name, …' }];
  }
  const parsed = directoryRecordSchema.safeParse(entry.data);
  if (parsed.success) return { position: entry.position, record: parsed.data };
  return parsed.error.issues.map((issue) => ({
    position: entry.position,
    field: issuePath(issue.path) || undefined,
    message: issue.message,
  }));
}

/**
 * A feed that contradicts itself (one id, username or e-mail on several records) cannot say which
 * record is right: every record involved is skipped, and the person stays as they were.
 */
function withoutDuplicates(records: ValidRecord[], problems: ImportProblem[]): ValidRecord[] {
  const keys: Array<[string, (record: DirectoryRecord) => string | null | undefined]> = [
    ['id', (r) => r.id],
    ['auth_username', (r) => r.auth_username],
    ['email', (r) => r.email],
  ];
  const rejected = new Set<ValidRecord>();
  for (const [field, keyOf] of keys) {
    const byKey = new Map<string, ValidRecord[]>();
    for (const item of records) {
      const key = keyOf(item.record);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), item]);
    }
    for (const [key, items] of byKey) {
      if (items.length < 2) continue;
      for (const item of items) {
        if (rejected.has(item)) continue;
        rejected.add(item);
        const others = items.filter((other) => other !== item).map((other) => other.position);
        problems.push({
          position: item.position,
          field,
          message: `${JSON.stringify(key)} appears more than once in the feed (also at ${others.join(', ')})`,
        });
      }
    }
  }
  return records.filter((item) => !rejected.has(item));
}

type DirectoryFields = Pick<
  PersonRow,
  | 'username'
  | 'name'
  | 'first_name'
  | 'last_name'
  | 'title'
  | 'avatar_url'
  | 'enabled'
  | 'is_manager'
  | 'is_manager_stated'
> &
  Partial<Pick<PersonRow, 'email' | 'team' | 'timezone'>>;

/** Every field the directory owns; optional columns only when the record has them. */
function fieldsOf(record: DirectoryRecord): DirectoryFields {
  return {
    username: record.auth_username,
    name: [record.first_name, record.last_name].filter(Boolean).join(' ') || record.auth_username,
    first_name: record.first_name,
    last_name: record.last_name,
    title: record.title,
    avatar_url: record.avatar,
    enabled: record.enabled ? 1 : 0,
    is_manager: record.is_manager ? 1 : 0,
    // The feed always carries the flag, so it decides over the title pattern.
    is_manager_stated: 1,
    ...(record.email !== undefined && { email: record.email }),
    ...(record.team !== undefined && { team: record.team }),
    ...(record.timezone !== undefined && { timezone: record.timezone }),
  };
}

/** A directory id another transaction linked first: the batch is retried and sees that link. */
async function linkDirectoryId(trx: Tx, personId: string, directoryId: string): Promise<void> {
  if (!(await linkExternalId(trx, { personId, source: DIRECTORY_SOURCE, externalId: directoryId }))) {
    throw conflict(`id: directory person ${directoryId} was linked to someone else meanwhile`, 'id');
  }
}

/** Upserts one batch of valid records inside one transaction. Nothing is written outside `trx`. */
async function applyBatch(trx: Tx, batch: ValidRecord[], defaultTimezone: string): Promise<BatchResult> {
  const result: BatchResult = { applied: [], problems: [], warnings: [], disabled: 0, membershipsEnded: 0 };
  const links = await personIdsByExternalId(
    trx,
    DIRECTORY_SOURCE,
    batch.map((item) => item.record.id),
  );
  const byId = new Map<string, PersonRow>();
  const byUsername = new Map<string, PersonRow>();
  const byEmail = new Map<string, PersonRow>();
  const remember = (person: PersonRow) => {
    byId.set(person.id, person);
    byUsername.set(person.username, person);
    if (person.email) byEmail.set(person.email, person);
  };
  const forget = (person: PersonRow) => {
    if (byUsername.get(person.username)?.id === person.id) byUsername.delete(person.username);
    if (person.email && byEmail.get(person.email)?.id === person.id) byEmail.delete(person.email);
  };
  for (const person of [
    ...(await findPeopleBy(trx, 'id', [...links.values()])),
    ...(await findPeopleBy(
      trx,
      'username',
      batch.map((item) => item.record.auth_username),
    )),
    ...(await findPeopleBy(
      trx,
      'email',
      batch.flatMap((item) => (item.record.email ? [item.record.email] : [])),
    )),
  ]) {
    remember(person);
  }
  const directoryIdOf = await externalIdsOfPeople(trx, DIRECTORY_SOURCE, [...byId.keys()]);
  let enabledAdmins: number | undefined;
  const newlyDisabled: string[] = [];
  const stillDisabled: string[] = [];

  for (const { position, record } of batch) {
    const problem = (field: string, message: string) => result.problems.push({ position, field, message });
    const linkedId = links.get(record.id);
    let person = linkedId ? byId.get(linkedId) : undefined;
    let linking = false;
    const sameUsername = byUsername.get(record.auth_username);
    const sameEmail = record.email ? byEmail.get(record.email) : undefined;

    if (person) {
      if (sameUsername && sameUsername.id !== person.id) {
        problem('auth_username', `"${record.auth_username}" is already used by another person`);
        continue;
      }
      if (sameEmail && sameEmail.id !== person.id) {
        problem('email', `"${record.email}" is already used by another person (${sameEmail.username})`);
        continue;
      }
    } else {
      // Not in the directory yet: someone who signed up before the import is linked, not duplicated.
      if (sameUsername && sameEmail && sameUsername.id !== sameEmail.id) {
        problem(
          'email',
          `"${record.email}" is already used by another person (${sameEmail.username}) than "${record.auth_username}"`,
        );
        continue;
      }
      const candidate = sameEmail ?? sameUsername;
      if (candidate) {
        const field = sameEmail ? 'email' : 'auth_username';
        const otherId = directoryIdOf.get(candidate.id);
        if (otherId !== undefined) {
          problem(
            field,
            `"${sameEmail ? record.email : record.auth_username}" already belongs to directory person ${otherId}`,
          );
          continue;
        }
        if (!sameEmail && candidate.role === 'admin') {
          problem(
            'auth_username',
            `"${record.auth_username}" is an administrator account that is not in the directory; ` +
              "give the record the administrator's e-mail to link them, or use another username",
          );
          continue;
        }
        person = candidate;
        linking = true;
      }
    }

    const fields = fieldsOf(record);
    if (!person) {
      const created = await createPerson(trx, {
        email: null,
        team: null,
        timezone: defaultTimezone,
        ...fields,
        verified: 1, // the directory vouches for them
      });
      await linkDirectoryId(trx, created.id, record.id);
      remember(created);
      result.applied.push({ position, personId: created.id, outcome: 'created', manager: record.manager });
      continue;
    }

    if (fields.enabled === 0 && person.enabled === 1 && person.role === 'admin') {
      enabledAdmins ??= await countAdmins(trx);
      if (enabledAdmins <= 1) {
        fields.enabled = 1;
        result.warnings.push({
          position,
          field: 'enabled',
          message: `${person.username} is the last administrator and stays enabled; promote someone else first`,
        });
      } else {
        enabledAdmins--;
      }
    }
    const current = person;
    const changed = Object.fromEntries(
      Object.entries(fields).filter(([key, value]) => current[key as keyof PersonRow] !== value),
    ) as Partial<DirectoryFields>;
    if (Object.keys(changed).length) await updatePerson(trx, person.id, changed);
    if (linking) {
      await linkDirectoryId(trx, person.id, record.id);
      directoryIdOf.set(person.id, record.id);
    }
    if (fields.enabled === 0) (person.enabled === 1 ? newlyDisabled : stillDisabled).push(person.id);
    forget(person);
    remember({ ...person, ...fields });
    const outcome = linking || Object.keys(changed).length ? 'updated' : 'unchanged';
    result.applied.push({ position, personId: person.id, outcome, manager: record.manager });
  }

  // Alumni clean-up at every import: a disabled person leaves every group, history stays.
  result.membershipsEnded = (await retirePeople(trx, newlyDisabled)) + (await leaveAllGroups(trx, stillDisabled));
  result.disabled = newlyDisabled.length;
  return result;
}

/** After every record is in: managers may come later in the feed than the people they manage. */
async function resolveManagers(trx: Tx, applied: Applied[], warnings: ImportProblem[]): Promise<void> {
  const wanted = applied.filter((item) => item.manager !== undefined);
  if (!wanted.length) return;
  const managerIds = new Map(
    (
      await findPeopleBy(
        trx,
        'username',
        wanted.flatMap((item) => (item.manager ? [item.manager] : [])),
      )
    ).map((person) => [person.username, person.id]),
  );
  const currentManager = new Map(
    (
      await findPeopleBy(
        trx,
        'id',
        wanted.map((item) => item.personId),
      )
    ).map((person) => [person.id, person.manager_id]),
  );
  for (const item of wanted) {
    let managerId: string | null = null;
    if (item.manager) {
      managerId = managerIds.get(item.manager) ?? null;
      if (!managerId) {
        warnings.push({
          position: item.position,
          field: 'manager',
          message: `"${item.manager}" is not a known person; the manager is left empty`,
        });
      } else if (managerId === item.personId) {
        warnings.push({ position: item.position, field: 'manager', message: 'is the person themself; left empty' });
        managerId = null;
      }
    }
    if (currentManager.get(item.personId) === managerId) continue;
    await updatePerson(trx, item.personId, { manager_id: managerId });
    if (item.outcome === 'unchanged') item.outcome = 'updated';
  }
}

async function readEntries(props: ImportDirectoryProps): Promise<{ sources: string[]; entries: FeedEntry[] }> {
  if (props.records) {
    return { sources: ['(records)'], entries: props.records.map((data, index) => ({ position: `[${index}]`, data })) };
  }
  if (props.upload) {
    const format = detectFormat({ name: props.upload.name, text: props.upload.text }, props.format);
    return {
      sources: [props.upload.name],
      entries: await parseFeedText(props.upload.text, format),
    };
  }
  const sources = props.source === undefined ? [] : ([] as string[]).concat(props.source);
  if (!sources.length) throw new Error('importDirectory needs a source, an upload or records');
  // Every feed is read before anything is written: an unreadable feed changes nobody.
  const feeds = [];
  for (const source of sources) {
    feeds.push(await loadFeed(source, { format: props.format, timeoutMs: props.fetchTimeoutMs }));
  }
  const several = feeds.length > 1;
  return {
    sources: feeds.map((feed) => feed.label),
    entries: feeds.flatMap((feed) =>
      several ? feed.entries.map((entry) => ({ ...entry, position: `${feed.label} ${entry.position}` })) : feed.entries,
    ),
  };
}

/**
 * Imports the staff directory: upserts each record by its directory id, links people who signed
 * up before, resolves managers, disables people the feed disables (and, with `prune`, those it no
 * longer lists) and ends their group memberships.
 *
 * Bad records are reported and skipped; the rest is imported. Records are written in batches, one
 * transaction each, so a crash leaves whole records only, and a re-run picks up where it stopped
 * (the same feed twice: everything unchanged the second time). With `wholeOrNothing` (the admin
 * console) or `dryRun`, the batches share one transaction instead: a failure changes nothing, and a
 * dry run is the very same import rolled back.
 */
export async function importDirectory(props: ImportDirectoryProps): Promise<ImportSummary> {
  const { db } = props;
  const { sources, entries } = await readEntries(props);
  const summary: ImportSummary = {
    sources: sources.map(describeSource),
    records: entries.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    disabled: 0,
    pruned: 0,
    membershipsEnded: 0,
    problems: [],
    warnings: [],
  };

  const valid: ValidRecord[] = [];
  for (const [index, entry] of entries.entries()) {
    if (index > 0 && index % VALIDATED_PER_TURN === 0) await nextTurn();
    const checked = validate(entry);
    if (Array.isArray(checked)) summary.problems.push(...checked);
    else valid.push(checked);
  }
  const records = withoutDuplicates(valid, summary.problems);
  const oneTransaction = props.dryRun || props.wholeOrNothing;
  const applied: Applied[] = [];
  const audit = {
    actorId: props.actorId ?? null,
    ip: props.ip ?? null,
    origin: props.origin ?? 'cli',
    prune: props.prune ?? false,
  };

  /** Every batch, then managers, prune and the audit entry; `inTransaction` runs each step. */
  async function run(inTransaction: <T>(work: (trx: Tx) => Promise<T>) => Promise<T>): Promise<void> {
    const batchSize = Math.max(1, props.batchSize ?? DEFAULT_BATCH_SIZE);
    const defaultTimezone = props.defaultTimezone ?? 'UTC';
    let done = 0;
    for (const batch of chunks(records, batchSize)) {
      const result = await inTransaction((trx) => applyBatch(trx, batch, defaultTimezone));
      applied.push(...result.applied);
      summary.problems.push(...result.problems);
      summary.warnings.push(...result.warnings);
      summary.disabled += result.disabled;
      summary.membershipsEnded += result.membershipsEnded;
      done += batch.length;
      props.onProgress?.({ done, total: records.length });
      // better-sqlite3 answers synchronously: without a turn of the event loop between batches, a
      // server importing a large feed would answer no request (not even /healthz) until the end.
      await nextTurn();
    }
    await inTransaction(async (trx) => {
      await resolveManagers(trx, applied, summary.warnings);
      if (props.prune) {
        if (!applied.length) {
          summary.warnings.push({
            position: '(feed)',
            message: 'no record could be imported, so nobody was pruned (that would disable everyone)',
          });
        } else {
          const seen = new Set(entries.flatMap((entry) => looseId(entry.data) ?? []));
          const pruned = await disableMissing(trx, seen);
          summary.pruned = pruned.length;
          summary.disabled += pruned.length;
          summary.membershipsEnded += await retirePeople(trx, pruned);
        }
      }
      for (const item of applied) summary[item.outcome]++;
      summary.skipped = entries.length - applied.length;
      await recordAudit(trx, {
        actorId: audit.actorId,
        ip: audit.ip,
        action: 'directory.import',
        data: { ...auditData(summary), prune: audit.prune, origin: audit.origin },
      });
    });
  }

  try {
    if (oneTransaction) {
      await db.transaction().execute(async (trx) => {
        // A conflict with a concurrent sign-up fails the whole import (nothing written): run it again.
        await run((work) => work(trx));
        if (props.dryRun) throw new DryRunDone();
      });
    } else {
      await run(async (work) => {
        // A person signing up with the same e-mail between our read and our write: the people service
        // refuses the taken address, the batch rolls back, and the next attempt sees them and reports
        // that one record instead.
        for (let attempt = 1; ; attempt++) {
          try {
            return await db.transaction().execute(work);
          } catch (error) {
            if (attempt >= 3 || !(isUniqueViolation(error) || isConflict(error))) throw error;
          }
        }
      });
    }
  } catch (error) {
    if (error instanceof DryRunDone) return summary;
    // In batches, those already committed stay (whole records only); say so in the log of changes.
    await recordAudit(db, {
      actorId: audit.actorId,
      ip: audit.ip,
      action: 'directory.import_failed',
      data: {
        sources: summary.sources,
        recordsCommitted: oneTransaction ? 0 : applied.length,
        error: (error as Error).message,
        origin: audit.origin,
      },
    }).catch(() => {});
    throw error;
  }
  return summary;
}

const isConflict = (error: unknown): boolean => error instanceof AppError && error.code === 'conflict';

function auditData(summary: ImportSummary): Record<string, unknown> {
  const { problems, warnings, ...counts } = summary;
  return {
    ...counts,
    problems: problems.slice(0, AUDITED_PROBLEMS).map(formatProblem),
    problemCount: problems.length,
    warnings: warnings.slice(0, AUDITED_PROBLEMS).map(formatProblem),
    warningCount: warnings.length,
  };
}
