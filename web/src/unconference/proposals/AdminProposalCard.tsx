import { useState } from 'react';
import {
  approveSession,
  type ProposalDetail,
  rejectSession,
  setAllowedSlots,
  type TimetableView,
  withdrawSession,
} from '../../api/unconference';
import { ErrorAlert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { StatusMessage } from '../../ui/StatusMessage';
import { useAsyncAction } from '../../ui/useAsyncAction';
import { AllowedSlotsPicker, availabilitySummary } from './AllowedSlotsPicker';
import { EditProposalForm } from './EditProposalForm';
import { WithdrawSessionButton } from './WithdrawSessionButton';

type Mode = 'view' | 'edit' | 'slots';

function StatusBadge({ proposal }: { proposal: ProposalDetail }) {
  if (proposal.status === 'pending') return <span className="badge badge-warn">Waiting for approval</span>;
  if (proposal.status === 'rejected') return <span className="badge badge-off">Rejected</span>;
  if (proposal.editPending) return <span className="badge badge-warn">Edit waiting</span>;
  return <span className="badge badge-ok">Approved</span>;
}

/** One proposal as the admin handles it: moderate, edit, set its available slots, withdraw. */
export function AdminProposalCard({
  proposal,
  timetable,
  onChanged,
}: {
  proposal: ProposalDetail;
  timetable: TimetableView;
  /** Something changed: the list is loaded again. */
  onChanged: () => void;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const [done, setDone] = useState<string | null>(null);
  const action = useAsyncAction();
  const act = (work: () => Promise<unknown>, message: string) =>
    void action.run(async () => {
      setDone(null);
      await work();
      setDone(message);
      setMode('view');
      onChanged();
    });
  const waiting = proposal.status === 'pending' || proposal.editPending;
  const allowed = proposal.allowedSlotIds ?? [];

  return (
    <article className="card unconf-proposal" data-testid="unconf-admin-proposal" aria-label={proposal.title}>
      {mode === 'edit' ? (
        <EditProposalForm
          proposalId={proposal.id}
          onCancel={() => setMode('view')}
          onSaved={() => {
            setMode('view');
            setDone('Saved.');
            onChanged();
          }}
        />
      ) : (
        <>
          <div className="unconf-event-head">
            <h3 className="unconf-proposal-title">{proposal.title}</h3>
            <StatusBadge proposal={proposal} />
          </div>
          <p className="card-meta">
            {proposal.owners.map((o) => `${o.name}${o.role === 'co-owner' ? ' (co-owner)' : ''}`).join(', ')}
            {proposal.interest
              ? ` · Very ${proposal.interest.very} · Yes ${proposal.interest.yes} · A little ${proposal.interest.little}`
              : ''}
          </p>
          {proposal.editPending ? (
            <p className="card-meta">
              Edited by its owner: this is the new text. Until you approve it, everyone else still sees the approved
              text; “Discard edit” brings that back.
            </p>
          ) : null}
          {proposal.descriptionHtml ? (
            // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/lib/markdown).
            <div className="talk-description" dangerouslySetInnerHTML={{ __html: proposal.descriptionHtml }} />
          ) : null}
          <p className="card-meta" data-testid="unconf-availability">
            {availabilitySummary(timetable, allowed)}
          </p>
        </>
      )}
      {mode === 'slots' ? (
        <AllowedSlotsPicker
          title={proposal.title}
          timetable={timetable}
          allowed={allowed}
          busy={action.busy}
          onCancel={() => setMode('view')}
          onSave={(ids) =>
            act(
              () => setAllowedSlots(proposal.id, ids),
              ids.length ? `Availability saved: ${ids.length} slots.` : 'Availability saved: any slot.',
            )
          }
        />
      ) : null}
      {action.error ? <ErrorAlert>{action.error.message}</ErrorAlert> : null}
      {done ? <StatusMessage>{done}</StatusMessage> : null}
      {mode === 'view' ? (
        <div className="unconf-edit-actions">
          {waiting ? (
            <>
              <Button
                size="sm"
                variant="primary"
                busy={action.busy}
                onClick={() =>
                  act(() => approveSession(proposal.id), proposal.editPending ? 'Edit approved.' : 'Approved.')
                }
              >
                {proposal.editPending ? 'Approve edit' : 'Approve'}
              </Button>
              <Button
                size="sm"
                variant="danger"
                busy={action.busy}
                onClick={() =>
                  act(
                    () => rejectSession(proposal.id),
                    proposal.editPending ? 'Edit discarded: the approved text is back.' : 'Rejected.',
                  )
                }
              >
                {proposal.editPending ? 'Discard edit' : 'Reject'}
              </Button>
            </>
          ) : null}
          <Button size="sm" onClick={() => setMode('edit')}>
            Edit
          </Button>
          <Button size="sm" onClick={() => setMode('slots')}>
            Available slots
          </Button>
          <WithdrawSessionButton
            title={proposal.title}
            onWithdraw={() => act(() => withdrawSession(proposal.id), 'Withdrawn.')}
          />
        </div>
      ) : null}
    </article>
  );
}
