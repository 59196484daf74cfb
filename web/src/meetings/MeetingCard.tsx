import { Link } from 'react-router-dom';
import type { MeetingSummary } from '../api/meetings';
import { Avatar } from '../mixers/Avatar';
import { onDay } from '../ui/dates';
import { MeetingStatusBadge } from './StatusBadge';
import { formatMeetingTime } from './time';

/** One meeting in a list: with whom, when (in the viewer's timezone), its status, and the way in. */
export function MeetingCard({ meeting, timeZone }: { meeting: MeetingSummary; timeZone: string }) {
  const names = meeting.participants.map((p) => p.name || p.username);
  const who = names.length ? names.join(', ') : 'Just you';
  return (
    <article className={`meeting-card is-${meeting.status}`} aria-labelledby={`meeting-${meeting.id}`}>
      <div className="meeting-card-avatars" aria-hidden="true">
        {meeting.participants.slice(0, 3).map((p) => (
          <Avatar key={p.id} name={p.name || p.username} url={p.avatarUrl} />
        ))}
      </div>
      <div className="meeting-card-body">
        <h3 id={`meeting-${meeting.id}`} className="meeting-card-title">
          <Link to={`/meetings/${meeting.id}`}>{meeting.groupName ? `${who}` : meeting.title}</Link>
        </h3>
        <p className="meeting-card-meta">
          {meeting.groupName ? <span>{meeting.groupName}</span> : <span>With {who}</span>}
          <span>
            {meeting.startsAt ? (
              <time dateTime={meeting.startsAt}>
                {formatMeetingTime(meeting.startsAt, meeting.durationMinutes, timeZone)}
              </time>
            ) : meeting.source === 'round' ? (
              <>
                Matched on <time dateTime={meeting.createdAt}>{onDay(meeting.createdAt, timeZone)}</time> · no time set
              </>
            ) : (
              'No time set yet'
            )}
          </span>
        </p>
      </div>
      <MeetingStatusBadge status={meeting.status} timed={Boolean(meeting.startsAt)} startsAt={meeting.startsAt} />
    </article>
  );
}
