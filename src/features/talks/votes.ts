import { sql } from 'kysely';
import type { Db, Engine, Tx } from '../../db/database.js';
import { isBusy } from '../../db/errors.js';
import type { EventPhase } from '../../db/schema.js';
import { AppError, conflict, notFound } from '../../lib/errors.js';
import { compiledQuery } from './compiled.js';
import { phaseAt } from './phase.js';
import { type Actor, authorize } from './policy.js';
import { votesOfPersonInEvent } from './queries.js';

export interface VoteOutcome {
  proposalId: string;
  eventId: string;
  voted: boolean;
  /** False when the vote already was in the asked-for state. */
  changed: boolean;
  /** With a vote limit: the votes the person now has in the event. */
  votesUsed: number | null;
  voteLimit: number | null;
}

interface VoteRequest {
  actor: Actor;
  proposalId: string;
  /** undefined: toggle. */
  voted?: boolean;
  at: string;
}

interface Target {
  event_id: string;
  speaker_id: string;
  hidden: 0 | 1;
  phase: EventPhase;
  voting_opens_at: string | null;
  voting_closes_at: string | null;
  vote_limit: number | null;
  proposals_during_voting: 0 | 1;
  allow_self_vote: 0 | 1;
}

// The statements of a vote, compiled once (see compiled.ts): this is the busiest path in Talks.
const loadTarget = compiledQuery<Target>(1, (db, proposalId) =>
  db
    .selectFrom('proposals')
    .innerJoin('events', 'events.id', 'proposals.event_id')
    .select([
      'proposals.event_id',
      'proposals.speaker_id',
      'proposals.hidden',
      'events.phase',
      'events.voting_opens_at',
      'events.voting_closes_at',
      'events.vote_limit',
      'events.proposals_during_voting',
      'events.allow_self_vote',
    ])
    .where('proposals.id', '=', proposalId)
    .where('events.kind', '=', 'talks'),
);
const lockBallot = compiledQuery(3, (db, eventId, personId, at) =>
  db
    .insertInto('ballots')
    .values({ event_id: eventId, person_id: personId, updated_at: at })
    .onConflict((oc) => oc.columns(['event_id', 'person_id']).doUpdateSet({ updated_at: at })),
);
const removeVote = compiledQuery(2, (db, proposalId, personId) =>
  db.deleteFrom('votes').where('proposal_id', '=', proposalId).where('person_id', '=', personId),
);
const addVote = compiledQuery(4, (db, proposalId, personId, eventId, at) =>
  db
    .insertInto('votes')
    .values({ proposal_id: proposalId, person_id: personId, event_id: eventId, created_at: at })
    .onConflict((oc) => oc.columns(['proposal_id', 'person_id']).doNothing()),
);
const moveCount = compiledQuery(2, (db, change, proposalId) =>
  db
    .updateTable('proposals')
    .set({ vote_count: sql<number>`vote_count + ${change}` })
    .where('id', '=', proposalId),
);
const countVotes = compiledQuery<{ n: number | string }>(2, (db, eventId, personId) =>
  votesOfPersonInEvent(db, eventId, personId).select((eb) => eb.fn.countAll<number | string>().as('n')),
);

const findVote = compiledQuery(2, (db, proposalId, personId) =>
  db.selectFrom('votes').select('proposal_id').where('proposal_id', '=', proposalId).where('person_id', '=', personId),
);

const changedRows = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0);

/** How often a toggle looks again after losing a race (see applyVote). */
const MAX_LOOKS = 25;

/**
 * The votes of one transaction: the proposals they target are read once, and each proposal's
 * vote_count moves once, by the sum of its changes, before the transaction commits.
 */
class VoteWork {
  private readonly targets = new Map<string, Target>();
  private readonly counts = new Map<string, number>();

  constructor(
    readonly db: Db,
    readonly trx: Tx,
  ) {}

  async target(proposalId: string): Promise<Target> {
    let target = this.targets.get(proposalId);
    if (!target) {
      target = (await loadTarget(this.db, this.trx, proposalId)).rows[0];
      if (!target) throw notFound('No such proposal.');
      this.targets.set(proposalId, target);
    }
    return target;
  }

  count(proposalId: string, change: number): void {
    this.counts.set(proposalId, (this.counts.get(proposalId) ?? 0) + change);
  }

  async saveCounts(): Promise<void> {
    for (const [proposalId, change] of this.counts) {
      if (change !== 0) await moveCount(this.db, this.trx, change, proposalId);
    }
    this.counts.clear();
  }
}

/**
 * One vote change, inside `work`'s transaction. Rules first (nothing written before they pass,
 * but for the ballot lock), then exactly one insert or delete whose reported effect decides.
 */
async function applyVote(work: VoteWork, request: VoteRequest): Promise<VoteOutcome> {
  const { db, trx } = work;
  const { actor, proposalId, at } = request;
  const target = await work.target(proposalId);
  authorize(actor, 'vote', {
    phase: phaseAt(target, at),
    proposalsDuringVoting: target.proposals_during_voting === 1,
  });
  const limit = target.vote_limit;
  // With a limit, the person's ballot is locked first: until this transaction ends, only this
  // change can move their count in the event, so it is counted once (one probe per proposal).
  let used: number | null = null;
  if (limit !== null) {
    await lockBallot(db, trx, target.event_id, actor.id, at);
    used = Number((await countVotes(db, trx, target.event_id, actor.id)).rows[0]?.n ?? 0);
  }
  const finish = (voted: boolean, change: -1 | 0 | 1): VoteOutcome => {
    work.count(proposalId, change);
    return {
      proposalId,
      eventId: target.event_id,
      voted,
      changed: change !== 0,
      votesUsed: used === null ? null : used + change,
      voteLimit: limit,
    };
  };

  // A toggle can lose a race against the same person's other toggle of the same proposal
  // (PostgreSQL, no limit): our delete found no vote, then our insert met the one the other request
  // had just committed. It looks again, and sees it. Each lost race means another request's change
  // was committed, so the looks are bounded by the requests racing (SQLite never needs a second).
  for (let look = 0; look < MAX_LOOKS; look++) {
    if (request.voted !== true) {
      if (changedRows(await removeVote(db, trx, proposalId, actor.id)) > 0) return finish(false, -1);
      if (request.voted === false) return finish(false, 0);
    }
    if (target.hidden === 1) throw conflict('This proposal is hidden: it takes no new votes.');
    // The speaker came with the proposal's row: the rule costs no query. A vote cast before the
    // admin turned it off can still be taken back (above), never added again.
    authorize(actor, 'vote_for_proposal', {
      phase: phaseAt(target, at),
      proposalsDuringVoting: target.proposals_during_voting === 1,
      speakerId: target.speaker_id,
      allowSelfVote: target.allow_self_vote === 1,
    });
    if (limit !== null && used !== null && used >= limit) {
      // At the limit, asking again for a vote one already has is no new vote.
      if (request.voted === true && (await findVote(db, trx, proposalId, actor.id)).rows.length) return finish(true, 0);
      throw conflict(
        `You have used all ${limit} of your votes in this event. Take one back to vote for this proposal.`,
      );
    }
    if (changedRows(await addVote(db, trx, proposalId, actor.id, target.event_id, at)) > 0) return finish(true, 1);
    if (request.voted === true) return finish(true, 0);
  }
  throw conflict('Your vote was changing in another request at the same time. Try again.');
}

/**
 * Group commit for SQLite, which runs one writer at a time anyway: a vote waits for the requests
 * already read from the network in this turn of the event loop (setImmediate: no fixed delay, so
 * the server never sits idle waiting), and their votes share one transaction. Each
 * vote is applied exactly as it would be alone, in arrival order; one commit (and one write of each
 * page touched) serves them all, which is what makes SQLite keep up with a crowd voting at once.
 * A vote refused by a rule is refused alone; an unexpected database error rolls the batch back, and
 * each of its votes is then tried again on its own.
 */
class VoteBatcher {
  private readonly queue: Array<{
    request: VoteRequest;
    resolve: (outcome: VoteOutcome) => void;
    reject: (error: unknown) => void;
  }> = [];
  private draining = false;

  constructor(private readonly db: Db) {}

  submit(request: VoteRequest): Promise<VoteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) await this.run();
    } finally {
      this.draining = false;
    }
  }

  /**
   * One transaction for the votes waiting when it starts (taken once the connection is ours, so
   * the votes that arrived while we waited for it come along), or for the given ones.
   */
  private async run(only?: VoteBatcher['queue'], busyRetries = 0): Promise<void> {
    let batch: VoteBatcher['queue'] = [];
    let settle: Array<() => void>;
    try {
      settle = await this.db.transaction().execute(async (trx) => {
        batch = only ?? this.queue.splice(0, MAX_BATCH);
        const work = new VoteWork(this.db, trx);
        const results: Array<() => void> = [];
        for (const item of batch) {
          try {
            const outcome = await applyVote(work, item.request);
            results.push(() => item.resolve(outcome));
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            results.push(() => item.reject(error));
          }
        }
        await work.saveCounts();
        return results;
      });
    } catch (error) {
      // Another process (a CLI command) holds SQLite's write lock: wait a moment and try again.
      if (isBusy(error) && busyRetries < BUSY_RETRIES) {
        if (!only) this.queue.unshift(...batch);
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
        return this.run(only, busyRetries + 1);
      }
      // No transaction at all (the database is closing): the votes waiting fail with the error.
      // A batch that failed part-way: each of its votes is tried again alone, so only a bad one fails.
      if (batch.length === 0) {
        for (const item of only ?? this.queue.splice(0, MAX_BATCH)) item.reject(error);
        return;
      }
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const item of batch) await this.run([item]);
      return;
    }
    for (const done of settle) done();
  }
}

const MAX_BATCH = 200;
const BUSY_RETRIES = 20;
const batchers = new WeakMap<Db, VoteBatcher>();

function batcherFor(db: Db, engine: Engine | undefined): VoteBatcher | null {
  if (engine !== 'sqlite') return null;
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new VoteBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}

/**
 * Casts, withdraws or toggles the actor's own vote on a proposal (there is no way to vote as anyone
 * else: the voter is always the actor).
 *
 * Exact under any concurrency, on both engines:
 * - the (proposal, person) primary key makes a duplicate vote impossible; inserts use
 *   ON CONFLICT DO NOTHING and deletes report what they removed, so each change is known exactly;
 * - the proposal's vote_count moves by those changes in the same transaction (a row-locked
 *   `vote_count = vote_count + n`), so it always equals the rows;
 * - with a vote limit, the person's ballot row is locked first: one person's changes in one event
 *   happen one at a time, so counting their votes and adding one cannot race past the limit.
 *
 * `voted` undefined toggles; true or false sets that state (repeating it changes nothing).
 *
 * Given `engine: 'sqlite'` (the server passes ctx.database.engine), concurrent votes share
 * transactions (see VoteBatcher); otherwise (PostgreSQL, or callers that vote one at a time, such as
 * the demo data) each vote has its own transaction, which is exact on both engines.
 *
 * Unlike other use cases, a vote writes no audit entry: the vote row is its own record (who, what,
 * when), and an audit row per click would double the writes of the busiest path in Talks.
 */
export function castVote(props: {
  db: Db;
  /** The database's engine (ctx.database.engine): 'sqlite' turns on group commit. */
  engine?: Engine;
  actor: Actor;
  proposalId: string;
  voted?: boolean;
  /** When the vote is cast (demo data and tests); now by default. */
  at?: Date;
}): Promise<VoteOutcome> {
  const request: VoteRequest = {
    actor: { id: props.actor.id, role: props.actor.role },
    proposalId: props.proposalId,
    voted: props.voted,
    at: (props.at ?? new Date()).toISOString(),
  };
  const batcher = batcherFor(props.db, props.engine);
  if (batcher) return batcher.submit(request);
  return props.db.transaction().execute(async (trx) => {
    const work = new VoteWork(props.db, trx);
    const outcome = await applyVote(work, request);
    await work.saveCounts();
    return outcome;
  });
}
