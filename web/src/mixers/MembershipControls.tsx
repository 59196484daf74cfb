import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { changeMembership, type MembershipAction, type MixerGroup, pauseMembership } from '../api/mixers';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { type FormError, fieldError, fieldMessage, toFormError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { tidyFieldError } from './fieldErrors';
import { dateInputValue, formatPauseDate } from './format';
import type { Subject } from './GroupFacts';

type Pending = MembershipAction | 'pause';

interface MembershipControlsProps {
  group: MixerGroup;
  subject: Subject;
  /** Whose membership: undefined for the viewer's own. */
  personId: string | undefined;
  viewerIsAdmin: boolean;
  timeZone: string;
  onChange: (group: MixerGroup) => void;
}

const DONE: Record<Pending, string> = {
  join: 'Joined',
  leave: 'Left the group',
  skip: 'The next round will be skipped',
  resume: 'Back in the next round',
  pause: 'Paused',
};

/** Why the subject can't join, in words, or null when they can. */
function whyNotJoin(group: MixerGroup, subject: Subject, viewerIsAdmin: boolean): string | null {
  const who = subject.self ? 'You' : subject.name;
  if (group.archived) return 'This group is archived: it has no more rounds.';
  if (!group.eligible) {
    if (group.eligibility === 'Managers only') return `${who} can’t join: this group is for managers only.`;
    if (group.eligibility.startsWith('Teams: '))
      return `${who} can’t join: this group is only for these teams — ${group.eligibility.slice(7)}.`;
    return `${who} can’t join this group (${group.eligibility}).`;
  }
  if (group.membership === 'admin' && !viewerIsAdmin)
    return 'An admin adds people to this group: ask one if you’d like to take part.';
  return null;
}

interface ActionButtonProps {
  action: Pending;
  pending: Pending | null;
  variant?: 'primary' | 'danger';
  /** Off for a reason besides another action running. */
  unavailable?: boolean;
  onClick: () => void;
  children: ReactNode;
}

/** One action's button: it spins while its action runs, and waits while any other does. */
function ActionButton({ action, pending, variant, unavailable = false, onClick, children }: ActionButtonProps) {
  return (
    <Button size="sm" variant={variant} busy={pending === action} disabled={!!pending || unavailable} onClick={onClick}>
      {children}
    </Button>
  );
}

/** Join, leave, pause, skip and resume for one group, on behalf of the subject. */
export function MembershipControls({
  group,
  subject,
  personId,
  viewerIsAdmin,
  timeZone,
  onChange,
}: MembershipControlsProps) {
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pauseOpen, setPauseOpen] = useState(false);
  const [until, setUntil] = useState(() => dateInputValue(14));
  const [confirmLeave, setConfirmLeave] = useState(false);
  const pauseId = useId();
  const you = subject.self ? 'you' : subject.name;
  const your = subject.self ? 'your' : `${subject.name}’s`;

  async function perform(action: Pending, task: () => Promise<MixerGroup>) {
    if (pending) return;
    setPending(action);
    setError(null);
    setDone(null);
    try {
      const updated = await task();
      onChange(updated);
      setPauseOpen(false);
      setDone(DONE[action]);
    } catch (caught) {
      setError(toFormError(caught));
    } finally {
      setPending(null);
    }
  }

  const act = (action: MembershipAction) => perform(action, () => changeMembership(group.id, action, personId));

  function handlePause(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) {
      setError({ message: 'Choose the date to pause until.', field: 'until' });
      return;
    }
    if (until <= dateInputValue(0)) {
      setError({ message: 'Choose a date after today.', field: 'until' });
      return;
    }
    void perform('pause', () => pauseMembership(group.id, until, personId));
  }

  const blocked =
    group.status === 'active' || group.status === 'paused' ? null : whyNotJoin(group, subject, viewerIsAdmin);
  const untilError = tidyFieldError(fieldError(error, 'until'));
  const generalError = error && !untilError ? error : null;

  // Leaving asks first, so the button only opens the dialog.
  const leaveButton = (
    <ActionButton action="leave" pending={pending} variant="danger" onClick={() => setConfirmLeave(true)}>
      Leave
    </ActionButton>
  );

  let body: ReactNode;
  if (group.archived) {
    body = <p className="mixer-note">This group is archived: it has no more rounds.</p>;
  } else if (group.status === 'paused') {
    body = (
      <>
        <p className="mixer-note">
          {subject.self ? 'You’re' : `${subject.name} is`} paused
          {group.pausedUntil ? ` until ${formatPauseDate(group.pausedUntil)}` : ''} and will be back in the first round
          after that.
        </p>
        <div className="mixer-actions">
          <ActionButton action="resume" pending={pending} variant="primary" onClick={() => act('resume')}>
            Resume now
          </ActionButton>
          {leaveButton}
        </div>
      </>
    );
  } else if (group.status === 'active') {
    body = (
      <>
        {group.skippingNext && group.nextRoundAt ? (
          <p className="mixer-note">
            {subject.self ? 'You’re' : `${subject.name} is`} sitting out the round on{' '}
            {atMinute(group.nextRoundAt, timeZone)}.
          </p>
        ) : null}
        <div className="mixer-actions">
          {group.skippingNext ? (
            <ActionButton action="resume" pending={pending} variant="primary" onClick={() => act('resume')}>
              Resume
            </ActionButton>
          ) : (
            <ActionButton action="skip" pending={pending} unavailable={!group.nextRoundAt} onClick={() => act('skip')}>
              Skip next round
            </ActionButton>
          )}
          <Button
            size="sm"
            disabled={!!pending}
            aria-expanded={pauseOpen}
            aria-controls={pauseId}
            onClick={() => {
              setPauseOpen((open) => !open);
              setError(null);
            }}
          >
            Pause…
          </Button>
          {leaveButton}
        </div>
        {pauseOpen ? (
          <form
            id={pauseId}
            className="mixer-pause"
            onSubmit={handlePause}
            noValidate
            aria-label={`Pause ${group.name}`}
          >
            <div className={untilError ? 'field has-error' : 'field'}>
              <label className="field-label" htmlFor={`${pauseId}-until`}>
                Pause until
              </label>
              <p className="field-hint" id={`${pauseId}-hint`}>
                {subject.self ? 'You’ll' : `${subject.name} will`} sit out every round before this date.
              </p>
              <input
                id={`${pauseId}-until`}
                name="until"
                type="date"
                className="input"
                min={dateInputValue(1)}
                value={until}
                onChange={(e) => setUntil(e.target.value)}
                aria-invalid={untilError ? true : undefined}
                aria-describedby={`${pauseId}-hint${untilError ? ` ${pauseId}-error` : ''}`}
              />
              {untilError ? (
                <p className="field-error" id={`${pauseId}-error`} role="alert">
                  {fieldMessage(untilError.message, 'until', 'The date')}
                </p>
              ) : null}
            </div>
            <div className="mixer-actions">
              <Button type="submit" size="sm" variant="primary" busy={pending === 'pause'} disabled={!!pending}>
                Pause
              </Button>
              <Button size="sm" variant="ghost" disabled={!!pending} onClick={() => setPauseOpen(false)}>
                Cancel
              </Button>
            </div>
          </form>
        ) : null}
      </>
    );
  } else if (blocked) {
    body = <p className="mixer-note mixer-note-blocked">{blocked}</p>;
  } else {
    body = (
      <>
        {group.membership === 'auto' && group.status === null ? (
          <p className="mixer-note">Everyone eligible is included automatically from the next round.</p>
        ) : null}
        <div className="mixer-actions">
          <ActionButton action="join" pending={pending} variant="primary" onClick={() => act('join')}>
            {subject.self ? 'Join' : `Join for ${subject.name}`}
          </ActionButton>
        </div>
      </>
    );
  }

  return (
    <div className="mixer-controls">
      {generalError ? <ErrorAlert>{generalError.message}</ErrorAlert> : null}
      {body}
      <StatusMessage className="mixer-done">{done}</StatusMessage>
      <ConfirmDialog
        open={confirmLeave}
        title={`Leave ${group.name}?`}
        confirmLabel="Leave group"
        danger
        onCancel={() => setConfirmLeave(false)}
        onConfirm={() => {
          setConfirmLeave(false);
          void act('leave');
        }}
      >
        <p>
          {subject.self ? 'You' : subject.name} won’t be paired in this group any more
          {group.membership === 'auto' ? ', and won’t be added back automatically' : ''}. {your.charAt(0).toUpperCase()}
          {your.slice(1)} past matches stay, and {you} can join again later.
        </p>
      </ConfirmDialog>
    </div>
  );
}
