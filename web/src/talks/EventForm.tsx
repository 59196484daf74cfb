import { type FormEvent, useRef, useState } from 'react';
import type { AdminTalksEvent, EventInput } from '../api/talks';
import { ErrorAlert } from '../ui/Alert';
import { Field, TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { FormActions } from './FormActions';
import { fromLocalInput, toLocalInput } from './format';

const FIELDS = [
  'name',
  'description',
  'topN',
  'voteLimit',
  'proposalsDuringVoting',
  'votingOpensAt',
  'votingClosesAt',
  'allowSelfVote',
  'talksAt',
  'venue',
] as const;

/** As the server's limits (src/contract/talks.ts). */
const NAME_MAX = 120;
const VENUE_MAX = 200;

interface EventFormProps {
  initial?: AdminTalksEvent;
  submitLabel: string;
  onSubmit: (input: EventInput) => Promise<void>;
  onCancel?: () => void;
  /** Show "Saved" from the start: the page remounts the form with the saved values after a save. */
  justSaved?: boolean;
}

/** Creates or edits a talks event. Times are entered in the browser's time zone and sent as UTC. */
export function EventForm({ initial, submitLabel, onSubmit, onCancel, justSaved = false }: EventFormProps) {
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [topN, setTopN] = useState(String(initial?.topN ?? 5));
  const [voteLimit, setVoteLimit] = useState(initial?.voteLimit ? String(initial.voteLimit) : '');
  const [duringVoting, setDuringVoting] = useState(initial?.proposalsDuringVoting ?? false);
  const [opensAt, setOpensAt] = useState(toLocalInput(initial?.votingOpensAt ?? null));
  const [closesAt, setClosesAt] = useState(toLocalInput(initial?.votingClosesAt ?? null));
  const [allowSelfVote, setAllowSelfVote] = useState(initial?.allowSelfVote ?? false);
  const [talksAt, setTalksAt] = useState(toLocalInput(initial?.talksAt ?? null));
  const [venue, setVenue] = useState(initial?.venue ?? '');
  const [saved, setSaved] = useState(justSaved);
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if (!name.trim()) return setError({ field: 'name', message: 'name: is required' });
    if (name.trim().length > NAME_MAX) {
      return setError({ field: 'name', message: `name: must be at most ${NAME_MAX} characters` });
    }
    if (!/^\d+$/.test(topN.trim())) return setError({ field: 'topN', message: 'topN: must be a whole number' });
    if (voteLimit.trim() && !/^\d+$/.test(voteLimit.trim())) {
      return setError({ field: 'voteLimit', message: 'voteLimit: must be a whole number, or empty for no limit' });
    }
    void run(async () => {
      await onSubmit({
        name: name.trim(),
        description,
        topN: Number(topN),
        voteLimit: voteLimit.trim() ? Number(voteLimit) : null,
        proposalsDuringVoting: duringVoting,
        votingOpensAt: fromLocalInput(opensAt),
        votingClosesAt: fromLocalInput(closesAt),
        allowSelfVote,
        talksAt: fromLocalInput(talksAt),
        venue: venue.trim() || null,
      });
      setSaved(true);
    });
  }

  const formError = formLevelError(error, FIELDS);
  const changed = () => setSaved(false);
  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <TextField
        label="Name"
        name="name"
        required
        // No maxLength: a pasted name that is too long is refused with a message, never cut silently.
        hint={`Up to ${NAME_MAX} characters (${name.trim().length} / ${NAME_MAX}).`}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          changed();
        }}
        error={fieldError(error, 'name')}
      />
      <Field
        label="Description"
        name="description"
        hint="Shown at the top of the event page. Markdown: **bold**, _italic_, [links](https://…), lists."
        error={fieldError(error, 'description')}
      >
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            rows={4}
            maxLength={5000}
            value={description}
            onChange={(e) => {
              setDescription(e.target.value);
              changed();
            }}
          />
        )}
      </Field>
      <div className="talks-form-row">
        <TextField
          label="Talks selected"
          name="topN"
          inputMode="numeric"
          hint="The most voted talks that make the programme."
          value={topN}
          onChange={(e) => {
            setTopN(e.target.value);
            changed();
          }}
          error={fieldError(error, 'topN')}
        />
        <TextField
          label="Votes per person"
          name="voteLimit"
          inputMode="numeric"
          hint="Leave empty for no limit."
          value={voteLimit}
          onChange={(e) => {
            setVoteLimit(e.target.value);
            changed();
          }}
          error={fieldError(error, 'voteLimit')}
        />
      </div>
      <div className="talks-form-row">
        <TextField
          label="Voting opens"
          name="votingOpensAt"
          type="datetime-local"
          hint={`Optional, your time (${zone}). Proposals close then unless kept open below.`}
          value={opensAt}
          onChange={(e) => {
            setOpensAt(e.target.value);
            changed();
          }}
          error={fieldError(error, 'votingOpensAt')}
        />
        <TextField
          label="Voting closes"
          name="votingClosesAt"
          type="datetime-local"
          hint={`Optional, your time (${zone}). Results are shown then.`}
          value={closesAt}
          onChange={(e) => {
            setClosesAt(e.target.value);
            changed();
          }}
          error={fieldError(error, 'votingClosesAt')}
        />
      </div>
      <div className="talks-form-row">
        <TextField
          label="Talks given on"
          name="talksAt"
          type="datetime-local"
          hint={`Optional, your time (${zone}): when the selected talks are given.`}
          value={talksAt}
          onChange={(e) => {
            setTalksAt(e.target.value);
            changed();
          }}
          error={fieldError(error, 'talksAt')}
        />
        <TextField
          label="Venue"
          name="venue"
          hint={`Optional: where the talks are given (${venue.trim().length} / ${VENUE_MAX}).`}
          value={venue}
          onChange={(e) => {
            setVenue(e.target.value);
            changed();
          }}
          error={fieldError(error, 'venue')}
        />
      </div>
      <label className="checkbox">
        <input
          name="allowSelfVote"
          type="checkbox"
          checked={allowSelfVote}
          onChange={(e) => {
            setAllowSelfVote(e.target.checked);
            changed();
          }}
        />
        Let speakers vote for their own proposals
      </label>
      <label className="checkbox">
        <input
          name="proposalsDuringVoting"
          type="checkbox"
          checked={duringVoting}
          onChange={(e) => {
            setDuringVoting(e.target.checked);
            changed();
          }}
        />
        Keep taking proposals while voting is open
      </label>
      <FormActions submitLabel={submitLabel} busy={busy} onCancel={onCancel}>
        <StatusMessage>{saved ? 'Saved' : null}</StatusMessage>
      </FormActions>
    </form>
  );
}
