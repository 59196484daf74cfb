import { useState } from 'react';
import type { GroupMember, GroupReach, PastRound } from '../api/mixers';
import { atMinute } from '../ui/dates';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import type { Loaded } from '../ui/useLoad';
import { LatestRoundActions } from './LatestRoundActions';

const MEETING_STATUS: Record<string, string> = { cancelled: 'Cancelled', done: 'Met' };

/** Admin: every round, newest first, with who met whom. */
export function RoundsPanel({
  groupId,
  rounds,
  members,
  reach,
  timeZone,
  onChanged,
}: {
  groupId: string;
  rounds: Loaded<PastRound[]>;
  members: GroupMember[];
  /** The latest round's reach, for its warning and its Announce and Undo actions. */
  reach: GroupReach | null;
  timeZone: string;
  onChanged: () => void;
}) {
  // The history names people by username; members give the names.
  const names = new Map(members.map((m) => [m.username, m.name || m.username]));
  const nameOf = (username: string) => names.get(username) ?? username;
  const list = rounds.data ?? [];
  const [outcome, setOutcome] = useState<string | null>(null);

  return (
    <section className="card" aria-labelledby="rounds-title">
      <div className="card-header">
        <h2 id="rounds-title" className="card-title">
          Rounds
        </h2>
        {rounds.data ? <p className="card-meta">{plural(list.length, 'round')}</p> : null}
      </div>
      {rounds.error ? <LoadError what="rounds" message={rounds.error} onRetry={rounds.reload} /> : null}
      {!rounds.data && rounds.loading ? <Loading label="Loading rounds…" /> : null}
      {rounds.data && list.length === 0 ? (
        <div className="empty-inline">
          <p>No rounds yet. They run on the schedule, or run one now above.</p>
        </div>
      ) : null}
      {reach?.latestRound ? (
        <LatestRoundActions
          groupId={groupId}
          latest={reach.latestRound}
          timeZone={timeZone}
          onChanged={onChanged}
          onOutcome={setOutcome}
        />
      ) : null}
      <StatusMessage className="latest-round-outcome">{outcome}</StatusMessage>
      {list.length > 0 ? (
        <ol className="round-list">
          {list.map((round, index) => (
            <li key={round.roundId}>
              <details className={round.undoneAt ? 'round is-undone' : 'round'} open={index === 0}>
                <summary>
                  <span className="round-when">
                    <time dateTime={round.scheduledFor}>{atMinute(round.scheduledFor, timeZone)}</time>
                  </span>
                  {round.undoneAt ? <span className="badge badge-off">Undone</span> : null}
                  <span className="muted round-count">
                    {plural(round.meetings.length, 'meeting')}
                    {round.satOut.length ? ` · ${round.satOut.length} sat out` : ''}
                  </span>
                </summary>
                <ul className="round-meetings">
                  {round.meetings.map((meeting) => (
                    <li key={meeting.meetingId}>
                      <span>{meeting.participants.map(nameOf).join(' & ')}</span>
                      {MEETING_STATUS[meeting.status] ? (
                        <span className={meeting.status === 'cancelled' ? 'badge badge-off' : 'badge badge-ok'}>
                          {MEETING_STATUS[meeting.status]}
                        </span>
                      ) : null}
                    </li>
                  ))}
                </ul>
                {round.satOut.length ? (
                  <p className="muted round-satout">Sat out: {round.satOut.map(nameOf).join(', ')}</p>
                ) : null}
              </details>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
