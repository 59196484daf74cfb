import { type FormEvent, useRef, useState } from 'react';
import type { ProposalInput } from '../api/talks';
import { ErrorAlert } from '../ui/Alert';
import { Field, TextField } from '../ui/Field';
import { fieldError, formLevelError } from '../ui/formError';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useFocusOnFieldError } from '../ui/useFocusOnFieldError';
import { FormActions } from './FormActions';

const FIELDS = ['title', 'description', 'speaker'] as const;
export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 5000;

interface ProposalFormProps {
  initial?: { title: string; description: string };
  submitLabel: string;
  /** Admins may name the speaker. */
  allowSpeaker?: boolean;
  onSubmit: (input: ProposalInput) => Promise<void>;
  onCancel?: () => void;
}

export function ProposalForm({ initial, submitLabel, allowSpeaker, onSubmit, onCancel }: ProposalFormProps) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [speaker, setSpeaker] = useState('');
  const { busy, error, setError, run } = useAsyncAction();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnFieldError(formRef, error);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = title.replace(/\s+/g, ' ').trim();
    if (trimmed.length < 3) return setError({ field: 'title', message: 'title: must be at least 3 characters' });
    void run(async () => {
      await onSubmit({
        title: trimmed,
        description,
        ...(allowSpeaker && speaker.trim() ? { speaker: speaker.trim() } : {}),
      });
      if (!initial) {
        setTitle('');
        setDescription('');
        setSpeaker('');
      }
    });
  }

  const formError = formLevelError(error, FIELDS);
  return (
    <form ref={formRef} className="form" onSubmit={handleSubmit} noValidate>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <TextField
        label="Title"
        name="title"
        required
        // No maxLength: a pasted title that is too long is refused with a message, never cut silently.
        hint={`3 to ${TITLE_MAX} characters (${title.length} / ${TITLE_MAX}). Each title appears once per event.`}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={fieldError(error, 'title')}
      />
      <Field
        label="Description"
        name="description"
        hint={`What will people learn? Markdown: **bold**, _italic_, [links](https://…), lists. ${description.length} / ${DESCRIPTION_MAX}`}
        error={fieldError(error, 'description')}
      >
        {(control) => (
          <textarea
            {...control}
            className="input textarea"
            rows={5}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      {allowSpeaker ? (
        <TextField
          label="Speaker"
          name="speaker"
          autoComplete="off"
          hint="Admins only: the speaker’s username or e-mail. Leave empty to be the speaker yourself."
          value={speaker}
          onChange={(e) => setSpeaker(e.target.value)}
          error={fieldError(error, 'speaker')}
        />
      ) : null}
      <FormActions submitLabel={submitLabel} busy={busy} onCancel={onCancel} />
    </form>
  );
}
