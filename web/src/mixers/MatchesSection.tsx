import { Link } from 'react-router-dom';
import type { MatchPartner, MixerMatch } from '../api/mixers';
import { onDay } from '../ui/dates';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import type { Loaded } from '../ui/useLoad';
import { Avatar } from './Avatar';
import type { Subject } from './GroupFacts';
import { withManaged } from './subject';

function PartnerLine({ partner, size }: { partner: MatchPartner; size?: 'md' | 'lg' }) {
  const role = [partner.title, partner.team].filter(Boolean).join(' · ');
  return (
    <li className="match-partner">
      <Avatar name={partner.name || partner.username} url={partner.avatarUrl} size={size} />
      <span className="match-partner-text">
        <span className="match-partner-name">{partner.name || partner.username}</span>
        <span className="match-partner-role">{role || `@${partner.username}`}</span>
      </span>
    </li>
  );
}

function MeetingStatus({ status }: { status: string }) {
  if (status === 'cancelled') return <span className="badge badge-off">Cancelled</span>;
  if (status === 'done') return <span className="badge badge-ok">Met</span>;
  if (status === 'sat_out') return <span className="badge">Sat out</span>;
  return null;
}

/** The match's meeting page: its time, video room and calendar. */
function MeetingLink({ match }: { match: MixerMatch }) {
  const names = match.partners.map((p) => p.name || p.username).join(' and ');
  return (
    <Link
      className="match-meeting-link"
      to={`/meetings/${match.meetingId}`}
      aria-label={`Meeting${names ? ` with ${names}` : ''} in ${match.groupName}`}
    >
      Meeting page: time, video room →
    </Link>
  );
}

function CurrentMatch({ match, timeZone, personId }: { match: MixerMatch; timeZone: string; personId?: string }) {
  return (
    <li className="match-current">
      <div className="match-current-head">
        <Link className="match-group" to={withManaged(`/mixers/groups/${match.groupId}`, personId)}>
          {match.groupName}
        </Link>
        <span className="match-when">
          {match.status === 'sat_out' ? 'Round of' : 'Matched on'}{' '}
          <time dateTime={match.scheduledFor}>{onDay(match.scheduledFor, timeZone)}</time>
        </span>
        <MeetingStatus status={match.status} />
      </div>
      {match.status === 'sat_out' ? (
        <p className="muted">
          You sit out this round: the group had an odd number of people and it was your turn. You’ll be matched next
          time.
        </p>
      ) : match.partners.length > 0 ? (
        <ul className="match-partners" aria-label={`Matched with in ${match.groupName}`}>
          {match.partners.map((partner) => (
            <PartnerLine key={partner.id} partner={partner} size="lg" />
          ))}
        </ul>
      ) : (
        <p className="muted">No partner is listed for this round.</p>
      )}
      {match.status === 'sat_out' ? null : <MeetingLink match={match} />}
    </li>
  );
}

/** "Your matches": the current match in each group, then past ones. */
export function MatchesSection({
  matches,
  subject,
  timeZone,
  personId,
  groupName,
}: {
  matches: Loaded<MixerMatch[]>;
  subject: Subject;
  timeZone: string;
  personId?: string;
  /** Only this group's matches are shown (the group page). */
  groupName?: string;
}) {
  const all = matches.data ?? [];
  const current = all.filter((m) => m.current);
  const past = all.filter((m) => !m.current);
  const title = subject.self ? 'Your matches' : `${subject.name}’s matches`;

  return (
    <section className="card" aria-labelledby="matches-title">
      <h2 id="matches-title" className="card-title">
        {groupName ? `${title} in ${groupName}` : title}
      </h2>
      {matches.error ? <LoadError what="matches" message={matches.error} onRetry={matches.reload} /> : null}
      {!matches.data && matches.loading ? <Loading label="Loading matches…" /> : null}
      {matches.data && all.length === 0 ? (
        <div className="empty-inline">
          <p>
            No matches yet. {groupName ? 'After the group’s next round' : 'Join a group, and after its next round'}{' '}
            {subject.self ? 'you’ll' : `${subject.name} will`} see who {subject.self ? 'you’re' : 'they’re'} paired with
            here.
          </p>
        </div>
      ) : null}
      {current.length > 0 ? (
        <>
          <h3 className="section-label">This round</h3>
          <ul className="match-current-list">
            {current.map((match) => (
              <CurrentMatch key={match.meetingId} match={match} timeZone={timeZone} personId={personId} />
            ))}
          </ul>
        </>
      ) : null}
      {past.length > 0 ? (
        <>
          <h3 className="section-label">Earlier</h3>
          <ul className="match-past-list">
            {past.map((match) => (
              <li key={match.meetingId} className="match-past">
                <div className="match-past-head">
                  <span className="match-group-name">{match.groupName}</span>
                  <span className="match-when">
                    {match.status === 'sat_out' ? 'Round of' : 'Matched on'}{' '}
                    <time dateTime={match.scheduledFor}>{onDay(match.scheduledFor, timeZone)}</time>
                  </span>
                  <MeetingStatus status={match.status} />
                </div>
                <ul className="match-partners match-partners-compact">
                  {match.partners.map((partner) => (
                    <PartnerLine key={partner.id} partner={partner} />
                  ))}
                </ul>
                {match.status === 'sat_out' ? null : <MeetingLink match={match} />}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
