import { useState } from 'react';
import { type MixerGroup, type RoundOutcome, runRound } from '../api/mixers';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { plural } from '../ui/plural';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';

function outcomeSummary(outcome: RoundOutcome): string {
  const s = outcome.stats;
  const parts = [plural(s.pairs, 'pair')];
  if (s.trios) parts.push(plural(s.trios, 'trio'));
  if (s.satOut) parts.push(`${s.satOut} sitting out`);
  return `${plural(s.members, 'person', 'people')} → ${parts.join(', ')}`;
}

function MeetingList({ outcome }: { outcome: RoundOutcome }) {
  return (
    <>
      <ol className="preview-meetings">
        {outcome.groups.map((people) => (
          <li key={people.map((p) => p.id).join('-')}>
            {people.map((p, i) => (
              <span key={p.id}>
                {i > 0 ? <span className="preview-and"> &amp; </span> : null}
                <span className="preview-person">{p.name || p.username}</span>
                {p.team ? <span className="muted"> ({p.team})</span> : null}
              </span>
            ))}
          </li>
        ))}
      </ol>
      {outcome.sittingOut.length > 0 ? (
        <p className="muted">Sitting out: {outcome.sittingOut.map((p) => p.name || p.username).join(', ')}</p>
      ) : null}
    </>
  );
}

/** "Run a round now": a dry-run preview first, then the real round on confirmation. */
export function RunRoundPanel({ group, onRoundSaved }: { group: MixerGroup; onRoundSaved: () => void }) {
  const [preview, setPreview] = useState<RoundOutcome | null>(null);
  const [saved, setSaved] = useState<RoundOutcome | null>(null);
  const previewAction = useAsyncAction();
  const saveAction = useAsyncAction();

  function handlePreview() {
    setSaved(null);
    saveAction.setError(null);
    void previewAction.run(async () => {
      setPreview(await runRound(group.id, true));
    });
  }

  function handleSave(force = false) {
    void saveAction.run(async () => {
      const outcome = await runRound(group.id, false, force);
      setPreview(null);
      setSaved(outcome);
      onRoundSaved();
    });
  }

  const nobody = preview !== null && preview.groups.length === 0;

  return (
    <section className="card" aria-labelledby="run-title">
      <h2 id="run-title" className="card-title">
        Run a round now
      </h2>
      {group.archived ? (
        <p className="muted">This group is archived. Restore it to run rounds.</p>
      ) : (
        <>
          <p className="card-lede">
            Pairs the members now instead of waiting for the schedule. Preview first: nothing is saved until you
            confirm.
          </p>
          {previewAction.error ? (
            <ErrorAlert>Couldn’t preview the round: {previewAction.error.message}</ErrorAlert>
          ) : null}
          {saveAction.error && saveAction.error.field === 'force' ? (
            <ErrorAlert>
              {saveAction.error.message}{' '}
              <Button variant="secondary" busy={saveAction.busy} onClick={() => handleSave(true)}>
                Make another round anyway
              </Button>
            </ErrorAlert>
          ) : saveAction.error ? (
            <ErrorAlert>Couldn’t run the round: {saveAction.error.message}</ErrorAlert>
          ) : null}
          {preview ? (
            <section className="preview" aria-labelledby="preview-title">
              <h3 id="preview-title" className="preview-title">
                Preview: {outcomeSummary(preview)}
              </h3>
              {nobody ? (
                <p className="muted">
                  Not enough people to pair: a round needs at least two active members. Add people first.
                </p>
              ) : (
                <>
                  <MeetingList outcome={preview} />
                  <p className="card-note">
                    The saved round is drawn again when you confirm, so pairs may differ from this preview; the same
                    rules apply (nobody meets someone again while someone new is available).
                  </p>
                </>
              )}
              <div className="form-actions">
                <Button variant="primary" busy={saveAction.busy} disabled={nobody} onClick={() => handleSave()}>
                  Run the round
                </Button>
                <Button variant="ghost" disabled={saveAction.busy} onClick={() => setPreview(null)}>
                  Discard preview
                </Button>
              </div>
            </section>
          ) : (
            <div className="form-actions">
              <Button variant="primary" busy={previewAction.busy} onClick={handlePreview}>
                Preview a round
              </Button>
            </div>
          )}
          <StatusMessage>
            {saved
              ? saved.created
                ? `Round saved: ${outcomeSummary(saved)}. Members now see their matches.`
                : 'A round for this moment already exists: nothing new was saved.'
              : null}
          </StatusMessage>
          {saved && saved.created && saved.groups.length > 0 ? <MeetingList outcome={saved} /> : null}
        </>
      )}
    </section>
  );
}
