import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  calendarFileUrl,
  cancelMeeting,
  getMeeting,
  type MeetingDetail,
  markMeetingDone,
  type Told,
} from '../api/meetings';
import { useCurrentPerson } from '../auth/authContext';
import { Avatar } from '../mixers/Avatar';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { FeedbackCard } from './FeedbackCard';
import { MeetingStatusBadge } from './StatusBadge';
import { fromOutside, sourceLabel } from './source';
import { TimeForm } from './TimeForm';
import { formatMeetingTime, googleCalendarUrl, JOIN_EARLY_MINUTES, joinOpensAt } from './time';
import { cancelledSentence } from './told';

/** Re-renders every half minute, so the Join button opens on time without a reload. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** One meeting: who, when (in my timezone), the video room, the calendar, and what I can change. */
export function MeetingPage() {
  const { id = '' } = useParams();
  const me = useCurrentPerson();
  const meeting = useLoad(`meeting:${id}`, (signal) => getMeeting(id, signal));
  const m = meeting.data;
  useDocumentTitle(m ? m.title : 'Meeting');

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/meetings">Meetings</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{m?.title ?? 'Meeting'}</span>
      </nav>
      {meeting.error ? <LoadError what="this meeting" message={meeting.error} onRetry={meeting.reload} /> : null}
      {!m && meeting.loading ? <Loading label="Loading meeting…" /> : null}
      {m ? (
        <MeetingView
          meeting={m}
          timeZone={me.timezone}
          isAdmin={me.role === 'admin'}
          onChange={(next) => meeting.setData(() => next)}
        />
      ) : null}
    </>
  );
}

function MeetingView({
  meeting,
  timeZone,
  isAdmin,
  onChange,
}: {
  meeting: MeetingDetail;
  timeZone: string;
  /** Administrators get the way to every message queued about it (the admin Messages page). */
  isAdmin: boolean;
  onChange: (meeting: MeetingDetail) => void;
}) {
  const others = meeting.participants.filter((p) => !p.isYou);
  const cancelled = meeting.status === 'cancelled';
  // Known only right after this person cancelled it here: whom the cancellation reaches.
  const [cancelTold, setCancelTold] = useState<string | null>(null);
  return (
    <>
      <header className="page-header">
        <div className="title-row">
          <h1>{meeting.title}</h1>
          <MeetingStatusBadge status={meeting.status} timed={Boolean(meeting.startsAt)} startsAt={meeting.startsAt} />
        </div>
        <p className="page-lede">
          {meeting.groupId && meeting.groupName ? (
            <>
              A match in <Link to={`/mixers/groups/${meeting.groupId}`}>{meeting.groupName}</Link>.{' '}
            </>
          ) : meeting.groupName ? (
            <>From {meeting.groupName}. </>
          ) : null}
          {fromOutside(meeting.source) ? outsideNote(meeting) : null}
          {/* Admins see the source's own id for it, and for a 42 evaluation the way to what arrived. */}
          {meeting.externalId && fromOutside(meeting.source) ? (
            meeting.source === 'intra42' ? (
              <>
                Scale team {meeting.externalId} (
                <Link to={`/admin/inbound?find=${encodeURIComponent(meeting.externalId)}`}>its deliveries</Link>).{' '}
              </>
            ) : (
              <>
                Known to {sourceLabel(meeting.source)} as “{meeting.externalId}”.{' '}
              </>
            )
          ) : null}
          {meeting.access === 'assistant'
            ? 'You see this meeting as the assistant of someone in it.'
            : meeting.access === 'admin'
              ? 'You see this meeting as an administrator. '
              : null}
          {isAdmin ? (
            <Link to={`/admin/messages?meeting=${encodeURIComponent(meeting.id)}`}>Messages about this meeting</Link>
          ) : null}
        </p>
      </header>
      {cancelled ? (
        <div className="meeting-cancelled" role="status">
          <strong>The meeting was cancelled.</strong>{' '}
          {cancelTold ??
            (meeting.cancelled
              ? `Cancelled on ${atMinute(meeting.cancelled.at, timeZone)} by ${meeting.cancelled.by}.`
              : null)}
        </div>
      ) : null}

      <div className="meeting-layout">
        <div className="stack">
          <WhenCard meeting={meeting} timeZone={timeZone} />
          {meeting.canChange ? (
            <section className="card" aria-labelledby="time-title">
              <h2 id="time-title" className="card-title">
                {meeting.startsAt ? 'Change the time' : 'Pick a time'}
              </h2>
              <p className="card-lede">
                {meeting.startsAt
                  ? 'Everyone gets the new time and an updated calendar invitation.'
                  : `Agree on a time with ${others.map((p) => p.name).join(' and ') || 'the others'}, then set it here: everyone gets it with a calendar invitation.`}
              </p>
              <TimeForm meeting={meeting} timeZone={timeZone} onSaved={onChange} />
            </section>
          ) : null}
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="who-title">
            <h2 id="who-title" className="card-title">
              Who
            </h2>
            <ul className="match-partners meeting-people">
              {meeting.participants.map((p) => {
                const role = [p.title, p.team].filter(Boolean).join(' · ');
                return (
                  <li key={p.id} className="match-partner">
                    <Avatar name={p.name || p.username} url={p.avatarUrl} size="lg" />
                    <span className="match-partner-text">
                      <span className="match-partner-name">
                        {p.name || p.username}
                        {p.isYou ? <span className="badge badge-self">You</span> : null}
                      </span>
                      <span className="match-partner-role">{role || `@${p.username}`}</span>
                      {p.contactEmail ? (
                        <span className="match-partner-role">
                          Write to them: <a href={`mailto:${p.contactEmail}`}>{p.contactEmail}</a>
                        </span>
                      ) : p.email ? (
                        <span className="match-partner-role">{p.email}</span>
                      ) : null}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
          {meeting.access === 'participant' && meeting.groupId && meeting.status !== 'cancelled' ? (
            <FeedbackCard meeting={meeting} onChange={onChange} />
          ) : null}
          {meeting.canChange ? (
            <StatusActions
              meeting={meeting}
              onChange={onChange}
              onCancelled={(told) => setCancelTold(cancelledSentence(told))}
            />
          ) : null}
        </div>
      </div>
    </>
  );
}

function WhenCard({ meeting, timeZone }: { meeting: MeetingDetail; timeZone: string }) {
  const now = useNow();
  const opens = joinOpensAt(meeting.startsAt);
  const closed = meeting.status === 'cancelled';
  const canJoin = Boolean(meeting.joinUrl) && !closed && (opens === null || now >= opens);
  return (
    <section className="card meeting-when" aria-labelledby="when-title">
      <h2 id="when-title" className="card-title">
        When
      </h2>
      <p className="meeting-time">
        {meeting.startsAt ? (
          <time dateTime={meeting.startsAt}>
            {formatMeetingTime(meeting.startsAt, meeting.durationMinutes, timeZone)}
          </time>
        ) : (
          'No time set yet'
        )}
      </p>
      {!closed && meeting.joinUrl ? (
        <div className="meeting-join">
          {canJoin ? (
            <a className="btn btn-primary meeting-join-button" href={meeting.joinUrl} target="_blank" rel="noreferrer">
              Join the video room
            </a>
          ) : (
            <Button variant="primary" className="meeting-join-button" disabled>
              Join the video room
            </Button>
          )}
          <p className="muted meeting-join-note">
            {canJoin
              ? meeting.startsAt
                ? 'The room is open.'
                : 'The room is always open: use it whenever you meet.'
              : `The room opens ${JOIN_EARLY_MINUTES} minutes before the start.`}
          </p>
        </div>
      ) : null}
      {meeting.startsAt && !closed ? (
        <div className="meeting-calendar">
          <a className="btn btn-secondary btn-sm" href={calendarFileUrl(meeting.id)} download>
            Add to calendar (.ics)
          </a>
          <a
            className="btn btn-ghost btn-sm"
            href={googleCalendarUrl({
              title: meeting.title,
              startsAt: meeting.startsAt,
              durationMinutes: meeting.durationMinutes,
              details: `Meeting page: ${window.location.origin}/meetings/${meeting.id}`,
            })}
            target="_blank"
            rel="noreferrer"
          >
            Google Calendar
          </a>
        </div>
      ) : null}
    </section>
  );
}

function StatusActions({
  meeting,
  onChange,
  onCancelled,
}: {
  meeting: MeetingDetail;
  onChange: (m: MeetingDetail) => void;
  onCancelled: (told: Told | undefined) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const action = useAsyncAction();
  const now = useNow();
  // Done means "we met": not before the start (the API refuses it too); an untimed meeting may have.
  // A participant of a mixer match says so in "Did you meet?": one control for the fact.
  const canMarkDone =
    (meeting.startsAt === null || Date.parse(meeting.startsAt) <= now) &&
    !(meeting.access === 'participant' && meeting.groupId);
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title" className="card-title">
        Status
      </h2>
      {action.error ? <ErrorAlert>{action.error.message}</ErrorAlert> : null}
      <div className="meeting-actions">
        {canMarkDone ? (
          <Button
            busy={action.busy}
            onClick={() => void action.run(async () => onChange(await markMeetingDone(meeting.id)))}
          >
            We met
          </Button>
        ) : null}
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Cancel meeting
        </Button>
      </div>
      {meeting.status === 'rescheduled' ? (
        <Notice>The time of this meeting has changed since it was first set.</Notice>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Cancel this meeting?"
        confirmLabel="Cancel meeting"
        cancelLabel="Keep it"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void action.run(async () => {
            const { meeting: next, told } = await cancelMeeting(meeting.id);
            onCancelled(told);
            onChange(next);
          });
        }}
      >
        <p>
          Everyone who has been sent it will be told, and calendars that have it will drop it. Introductions not sent
          yet are dropped. This can’t be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** What a change made here means for a meeting another system keeps up to date. */
function outsideNote(meeting: MeetingDetail): string {
  if (meeting.status !== 'cancelled') {
    return 'The system it came from keeps it up to date: a change made here is replaced by its next update. ';
  }
  // 42 never sends a scale team's id again once it is gone; an API caller may send it anew.
  return meeting.source === 'intra42'
    ? 'Cancelled evaluations stay cancelled: a later update from the 42 intranet does not bring it back. '
    : `Cancelled: if ${sourceLabel(meeting.source)} sends it again, it is made anew as another meeting. `;
}
