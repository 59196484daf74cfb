import { useState } from 'react';
import { clearTestMode, fillTestMode, type TestModeView } from '../api/unconference';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { TextField } from '../ui/Field';
import { fieldError } from '../ui/formError';
import { plural } from '../ui/plural';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';

const counted = (c: TestModeView) =>
  `${plural(c.people, 'fake person').replace('persons', 'people')}, ${plural(c.proposals, 'fake proposal')} and ${plural(c.interests, 'rating')}`;

/** The number typed, or NaN for an empty field, so the API names the field instead of taking 0. */
const whole = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * Test mode: fill the event with fake people, proposals and ratings to try the scheduler, and clear
 * them again. What it says it did is what the API answered it did.
 */
export function TestModeCard({ eventId, onChange }: { eventId: string; onChange: () => void }) {
  const [people, setPeople] = useState('40');
  const [proposals, setProposals] = useState('12');
  const [confirm, setConfirm] = useState<'fill' | 'clear' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const fill = useAsyncAction();
  const clear = useAsyncAction();
  const busy = fill.busy || clear.busy;

  const runFill = () =>
    void fill.run(async () => {
      setDone(null);
      clear.setError(null);
      const made = await fillTestMode(eventId, { people: whole(people), proposals: whole(proposals) });
      setDone(`Added ${counted(made)}.`);
      onChange();
    });
  const runClear = () =>
    void clear.run(async () => {
      setDone(null);
      fill.setError(null);
      const removed = await clearTestMode(eventId);
      setDone(
        removed.people || removed.proposals || removed.interests
          ? `Removed ${counted(removed)}.`
          : 'There was no test data to remove.',
      );
      onChange();
    });
  // A message about a number's value names it ("people: must be at least 2") and goes under it;
  // a refusal of the whole fill (test data already there) is shown for the card.
  const aboutValue = fill.error?.field && fill.error.message.startsWith(`${fill.error.field}: `) ? fill.error : null;
  const general = (aboutValue ? null : fill.error) ?? clear.error;

  return (
    <section className="card unconf-test-mode" aria-labelledby="unconf-test-title">
      <h2 id="unconf-test-title" className="card-title">
        Test mode
      </h2>
      <p className="card-meta">
        Fill the event with fake people, proposals and ratings to try the scheduler; most fake people copy a “model”
        person’s taste. Fake people cannot sign in and get no messages. Clear them before the real event.
      </p>
      <div className="unconf-inline-form">
        <TextField
          label="Fake people"
          name="people"
          type="number"
          inputMode="numeric"
          min={2}
          max={1000}
          value={people}
          onChange={(e) => setPeople(e.target.value)}
          error={fieldError(aboutValue, 'people')}
        />
        <TextField
          label="Fake proposals"
          name="proposals"
          type="number"
          inputMode="numeric"
          min={1}
          max={300}
          value={proposals}
          onChange={(e) => setProposals(e.target.value)}
          error={fieldError(aboutValue, 'proposals')}
        />
      </div>
      {general ? <ErrorAlert>{general.message}</ErrorAlert> : null}
      {busy ? (
        <p className="card-meta" role="status">
          {fill.busy ? 'Filling the event… many people take a few seconds.' : 'Removing the test data…'}
        </p>
      ) : (
        <StatusMessage>{done}</StatusMessage>
      )}
      <div className="unconf-edit-actions">
        <Button variant="primary" size="sm" busy={fill.busy} disabled={busy} onClick={() => setConfirm('fill')}>
          Fill with test data
        </Button>
        <Button variant="ghost" size="sm" busy={clear.busy} disabled={busy} onClick={() => setConfirm('clear')}>
          Clear test data
        </Button>
      </div>
      <ConfirmDialog
        open={confirm === 'fill'}
        title="Fill the event with test data?"
        confirmLabel="Fill"
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          setConfirm(null);
          runFill();
        }}
      >
        {people || '?'} fake people will propose {proposals || '?'} sessions and rate them. Real proposals and ratings
        stay as they are.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'clear'}
        title="Clear the test data?"
        confirmLabel="Clear test data"
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          setConfirm(null);
          runClear();
        }}
      >
        The fake people, their proposals and all their ratings are removed. Real ones stay.
      </ConfirmDialog>
    </section>
  );
}
