import { useState } from 'react';
import { Link } from 'react-router-dom';
import { announceLatestRound, type GroupReach, undoLatestRound } from '../api/mixers';
import { cancelledSentence, toldSentence } from '../meetings/told';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { plural } from '../ui/plural';
import { useAsyncAction } from '../ui/useAsyncAction';

const names = (people: Array<{ name: string; username: string }>, max = 6) => {
  const shown = people.slice(0, max).map((p) => p.name || p.username);
  return people.length > max ? `${shown.join(', ')} and ${people.length - max} more` : shown.join(', ');
};

/**
 * The latest round as the admin acts on it: a warning when some of its people were never told of
 * their match (no channel reached them), "Announce" once a channel does, and "Undo" within the
 * configured window (with a confirmation).
 */
export function LatestRoundActions({
  groupId,
  latest,
  timeZone,
  onChanged,
  onOutcome,
}: {
  groupId: string;
  latest: NonNullable<GroupReach['latestRound']>;
  timeZone: string;
  onChanged: () => void;
  /** What an action did, said by the panel (this part goes once its round is undone). */
  onOutcome: (message: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const setOutcome = onOutcome;
  const undo = useAsyncAction();
  const announce = useAsyncAction();
  const untold = latest.untold;
  const reachable = untold.filter((p) => p.reachableNow);
  const nobody = untold.length > 0 && untold.length === latest.people;

  return (
    <div className="latest-round">
      {untold.length > 0 ? (
        <div className="alert alert-warning" role="status">
          <div className="alert-body">
            <strong>
              {nobody
                ? `Nobody in this round was told of their match (${plural(latest.people, 'person', 'people')}).`
                : `${untold.length} of the ${latest.people} people in this round ${untold.length === 1 ? 'was' : 'were'} not told of their match: ${names(untold)}.`}
            </strong>{' '}
            {reachable.length > 0
              ? `A channel reaches ${reachable.length === untold.length ? 'them' : `${reachable.length} of them`} now: announce the round to send their intros (nobody gets one twice).`
              : 'No channel reaches them yet. Turn one on, then announce the round here.'}{' '}
            {reachable.length === 0 ? <Link to="/admin/channels">Channels</Link> : null}
          </div>
          {reachable.length > 0 ? (
            <div className="alert-action">
              <Button
                variant="primary"
                size="sm"
                busy={announce.busy}
                onClick={() =>
                  void announce.run(async () => {
                    const done = await announceLatestRound(groupId);
                    setOutcome(
                      done.told.length
                        ? `Announced: ${toldSentence({ names: done.told, channels: done.channels })}`
                        : 'Nobody was left to tell.',
                    );
                    onChanged();
                  })
                }
              >
                Announce the round
              </Button>
            </div>
          ) : null}
        </div>
      ) : null}
      {announce.error ? <ErrorAlert>Couldn’t announce the round: {announce.error.message}</ErrorAlert> : null}
      {undo.error ? <ErrorAlert>Couldn’t undo the round: {undo.error.message}</ErrorAlert> : null}
      {latest.undoableUntil ? (
        <div className="form-actions latest-round-undo">
          <Button variant="danger" size="sm" busy={undo.busy} onClick={() => setConfirming(true)}>
            Undo this round
          </Button>
          <span className="muted">
            Possible until <time dateTime={latest.undoableUntil}>{atMinute(latest.undoableUntil, timeZone)}</time>
          </span>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Undo the latest round?"
        confirmLabel="Undo the round"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void undo.run(async () => {
            const done = await undoLatestRound(groupId);
            setOutcome(
              `Round undone: ${plural(done.cancelled, 'meeting')} cancelled. ${
                done.told.length
                  ? cancelledSentence({ names: done.told, channels: done.channels })
                  : 'Nobody had heard of it yet, so nobody was sent a message.'
              }${done.skipsRestored ? ` ${plural(done.skipsRestored, 'skip')} given back.` : ''}`,
            );
            onChanged();
          });
        }}
      >
        <p>
          The round of <strong>{atMinute(latest.scheduledFor, timeZone)}</strong> will be undone: its meetings are
          cancelled, people who were told of their match get a cancellation, skips it used are given back, and the next
          round may pair the same people again.
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** Admin: members Convene cannot reach by any channel, and what to do about it. */
export function ReachCard({ reach }: { reach: GroupReach }) {
  const { unreachable, unreachableTotal, members, channels } = reach;
  return (
    <section className="card" aria-labelledby="reach-title">
      <div className="card-header">
        <h2 id="reach-title" className="card-title">
          Who can be reached
        </h2>
        <p className="card-meta">{channels.length ? `On: ${channels.join(', ')}` : 'No channel on'}</p>
      </div>
      {members === 0 ? (
        <p className="muted">No members yet.</p>
      ) : unreachableTotal === 0 ? (
        <p className="muted">Every member can be reached by at least one channel.</p>
      ) : (
        <>
          <p className="card-lede">
            {unreachableTotal === members
              ? `Nobody in this group can be reached (${plural(members, 'member')}): they will be matched, but never hear of it.`
              : `${unreachableTotal} of ${plural(members, 'member')} cannot be reached: they will be matched, but never hear of it.`}
          </p>
          {channels.length === 0 ? (
            <p className="card-note">
              Next: turn on e-mail, Slack or Mattermost in <Link to="/admin/channels">Channels</Link>, then announce any
              round made meanwhile from the Rounds card.
            </p>
          ) : (
            <>
              <ul className="reach-list">
                {unreachable.map((p) => (
                  <li key={p.id}>
                    <span className="reach-name">{p.name || p.username}</span> <span className="muted">{p.reason}</span>
                  </li>
                ))}
              </ul>
              {unreachableTotal > unreachable.length ? (
                <p className="muted">…and {unreachableTotal - unreachable.length} more.</p>
              ) : null}
              <p className="card-note">
                Next: add a missing e-mail address in <Link to="/admin/people">People</Link>, or ask the person to turn
                a channel back on in their profile; <Link to="/admin/messages">Messages</Link> shows deliveries that
                failed.
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
