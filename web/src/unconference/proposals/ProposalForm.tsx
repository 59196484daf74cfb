import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextAreaField, TextField } from '../../ui/Field';
import { type FormError, fieldError, formLevelError } from '../../ui/formError';
import { useAsyncAction } from '../../ui/useAsyncAction';

const FIELDS = ['title', 'description', 'coOwners'];

export interface ProposalValues {
  title: string;
  description: string;
  coOwners: string[];
}

/** "ada, grace" → ['ada', 'grace']. */
export const splitLogins = (text: string): string[] =>
  text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A co-owner error names its position ("coOwners[1]: nobody with …"): shown under the one field. */
export function coOwnerError(error: FormError | null): FormError | null {
  if (!error?.field?.startsWith('coOwners')) return null;
  const message = error.message.replace(/^coOwners(\[\d+\])?: /, '');
  return { message: message.charAt(0).toUpperCase() + message.slice(1) };
}

/**
 * A session proposal's title, description and co-owners: proposing a new one on the event page, and
 * editing one (its owners, or an administrator). `onSubmit` throws on refusal; the fields then show it.
 */
export function ProposalForm({
  initial,
  label,
  coOwnersHint,
  descriptionRows,
  submitLabel,
  clearOnSuccess = false,
  onSubmit,
  onCancel,
}: {
  initial?: { title: string; description: string; coOwners: string };
  label?: string;
  coOwnersHint: string;
  descriptionRows: number;
  submitLabel: string;
  clearOnSuccess?: boolean;
  onSubmit: (values: ProposalValues) => Promise<void>;
  onCancel?: () => void;
}) {
  const [title, setTitle] = useState(initial?.title ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [coOwners, setCoOwners] = useState(initial?.coOwners ?? '');
  const action = useAsyncAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      await onSubmit({ title, description, coOwners: splitLogins(coOwners) });
      if (clearOnSuccess) {
        setTitle('');
        setDescription('');
        setCoOwners('');
      }
    });
  };
  const general = formLevelError(action.error, FIELDS);
  return (
    <form className="form" aria-label={label} onSubmit={submit} noValidate>
      {general && !coOwnerError(general) ? <ErrorAlert>{general.message}</ErrorAlert> : null}
      <TextField
        label="Title"
        name="title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={fieldError(action.error, 'title')}
        required
        maxLength={120}
      />
      <TextAreaField
        label="Description"
        name="description"
        hint="Markdown: **bold**, *italic*, lists and links."
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={fieldError(action.error, 'description')}
        rows={descriptionRows}
      />
      <TextField
        label="Co-owners"
        name="coOwners"
        hint={coOwnersHint}
        value={coOwners}
        onChange={(e) => setCoOwners(e.target.value)}
        error={coOwnerError(action.error)}
      />
      <div className="form-actions">
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={action.busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
