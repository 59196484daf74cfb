import { getSession, type ProposalDetail, updateSession } from '../../api/unconference';
import { LoadError } from '../../ui/LoadError';
import { Loading } from '../../ui/Spinner';
import { useLoad } from '../../ui/useLoad';
import { ProposalForm } from './ProposalForm';

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
  const proposal = source.data;
  if (!proposal) return <Loading label="Loading the proposal…" />;
  return (
    <ProposalForm
      initial={{
        title: proposal.title,
        description: proposal.description ?? '',
        coOwners: proposal.owners
          .filter((o) => o.role === 'co-owner')
          .map((o) => o.username)
          .join(', '),
      }}
      label={`Edit ${proposal.title}`}
      coOwnersHint="Usernames or e-mail addresses, separated by commas. Co-owners may edit it too."
      descriptionRows={5}
      submitLabel="Save changes"
      onSubmit={async (values) => onSaved(await updateSession(proposal.id, values))}
      onCancel={onCancel}
    />
  );
}
