import { type FormEvent, useState } from 'react';
import { getSession, type ProposalDetail, updateSession } from '../../api/unconference';
import { ErrorAlert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextAreaField, TextField } from '../../ui/Field';
import { type FormError, fieldError, formLevelError } from '../../ui/formError';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useAsyncAction } from '../../ui/useAsyncAction';
import { useLoad } from '../../ui/useLoad';

const FIELDS = ['title', 'description', 'coOwners'];

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

function Form({
  proposal,
  onSaved,
  onCancel,
}: {
  proposal: ProposalDetail;
  onSaved: (p: ProposalDetail) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(proposal.title);
  const [description, setDescription] = useState(proposal.description ?? '');
  const [coOwners, setCoOwners] = useState(
    proposal.owners
      .filter((o) => o.role === 'co-owner')
      .map((o) => o.username)
      .join(', '),
  );
  const action = useAsyncAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void action.run(async () => {
      onSaved(await updateSession(proposal.id, { title, description, coOwners: splitLogins(coOwners) }));
    });
  };
  const general = formLevelError(action.error, FIELDS);
  return (
    <form className="form" aria-label={`Edit ${proposal.title}`} onSubmit={submit} noValidate>
      {general && !general.field?.startsWith('coOwners') ? <ErrorAlert>{general.message}</ErrorAlert> : null}
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
        rows={5}
      />
      <TextField
        label="Co-owners"
        name="coOwners"
        hint="Usernames or e-mail addresses, separated by commas. Co-owners may edit it too."
        value={coOwners}
        onChange={(e) => setCoOwners(e.target.value)}
        error={coOwnerError(action.error)}
      />
      <div className="form-actions">
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" busy={action.busy}>
          Save changes
        </Button>
      </div>
    </form>
  );
}

/**
 * Editing a proposal (its owners, or an administrator): the Markdown source is loaded first, since
 * the list carries only the rendered text.
 */
export function EditProposalForm({
  proposalId,
  onSaved,
  onCancel,
}: {
  proposalId: string;
  onSaved: (p: ProposalDetail) => void;
  onCancel: () => void;
}) {
  const source = useLoad(`unconf-proposal-source:${proposalId}`, (signal) => getSession(proposalId, signal));
  if (source.error) return <LoadError what="the proposal" message={source.error} onRetry={source.reload} />;
  if (!source.data) return <Loading label="Loading the proposal…" />;
  return <Form proposal={source.data} onSaved={onSaved} onCancel={onCancel} />;
}
