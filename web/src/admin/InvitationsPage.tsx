import type { InvitationState } from '@contract/accounts';
import { type FormEvent, useState } from 'react';
import {
  type InvitationView,
  type InviteResult,
  invite,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from '../api/accounts';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { TextAreaField } from '../ui/Field';
import { fieldError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { TableHead } from '../ui/TableHead';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';

const STATE_LABEL: Record<InvitationState, { label: string; badge: string }> = {
  pending: { label: 'Pending', badge: 'badge-warn' },
  accepted: { label: 'Accepted', badge: 'badge-ok' },
  expired: { label: 'Expired', badge: 'badge-off' },
  revoked: { label: 'Revoked', badge: 'badge-off' },
};
const FILTERS: Array<{ value: InvitationState | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
];

/** Invite people by e-mail (one or a pasted list), and follow their invitations: resend, revoke. */
export function InvitationsPage() {
  const zone = useTimeZone();
  useDocumentTitle('Invitations');
  const [state, setState] = useState<InvitationState | ''>('');
  const invitations = useLoad(`invitations:${state}`, (signal) => listInvitations(state ? { state } : {}, signal));
  const [emails, setEmails] = useState('');
  const [result, setResult] = useState<InviteResult | null>(null);
  const [note, setNote] = useState<{ text: string; link: string | null } | null>(null);
  const [revoking, setRevoking] = useState<InvitationView | null>(null);
  const sending = useAsyncAction();
  const rowAction = useAsyncAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!emails.trim()) return sending.setError({ message: 'Enter at least one e-mail address.', field: 'emails' });
    void sending.run(async () => {
      setResult(await invite({ emails }));
      setNote(null);
      setEmails('');
      invitations.reload();
    });
  };
  const resend = (row: InvitationView) =>
    void rowAction.run(async () => {
      const answer = await resendInvitation(row.id);
      setNote({
        text: answer.emailed ? `A new link was sent to ${row.email}.` : (answer.mailError ?? 'Not e-mailed.'),
        link: answer.link,
      });
      invitations.reload();
    });
  const revoke = () =>
    void rowAction.run(async () => {
      if (!revoking) return;
      await revokeInvitation(revoking.id);
      setNote({ text: `The invitation to ${revoking.email} was revoked: its link no longer works.`, link: null });
      setRevoking(null);
      invitations.reload();
    });

  return (
    <>
      <header className="page-header">
        <h1>Invitations</h1>
        <p className="page-lede">
          Invite people by e-mail. Each gets a link that works once and expires after 7 days; they join with their
          address already confirmed, even when registration is closed.
        </p>
      </header>
      <div className="stack">
        <section className="card" aria-labelledby="invite-title">
          <h2 id="invite-title" className="card-title">
            Invite people
          </h2>
          <form onSubmit={submit} className="form" noValidate aria-label="Invite people">
            <TextAreaField
              label="E-mail addresses"
              name="emails"
              rows={4}
              hint="One address, or paste a list or a CSV (one or more addresses per line; a header line is skipped)."
              value={emails}
              onChange={(e) => setEmails(e.target.value)}
              error={fieldError(sending.error, 'emails')}
            />
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={sending.busy}>
                Send invitations
              </Button>
            </div>
          </form>
          {sending.error && sending.error.field !== 'emails' ? <ErrorAlert>{sending.error.message}</ErrorAlert> : null}
          {result ? <InviteOutcome result={result} /> : null}
        </section>
        <section className="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title" className="card-title">
            Sent invitations
          </h2>
          <div className="form-row">
            <label className="field-inline">
              Show{' '}
              <select value={state} onChange={(e) => setState(e.target.value as InvitationState | '')}>
                {FILTERS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {note ? (
            <Notice>
              <span data-testid="invitation-note">{note.text}</span>
              {note.link ? <code className="token-once">{note.link}</code> : null}
            </Notice>
          ) : null}
          {rowAction.error ? <ErrorAlert>{rowAction.error.message}</ErrorAlert> : null}
          {invitations.error ? (
            <LoadError what="invitations" message={invitations.error} onRetry={invitations.reload} />
          ) : null}
          {invitations.loading && !invitations.data ? <Loading label="Loading invitations…" /> : null}
          {invitations.data ? (
            invitations.data.length ? (
              <div className="table-wrap">
                <table className="table messages-table invitations-table">
                  <caption className="visually-hidden">Invitations, newest first</caption>
                  <TableHead columns={['E-mail', 'State', 'Invited', 'Expires', 'Sent', 'Actions']} actions={false} />
                  <tbody>
                    {invitations.data.map((row) => {
                      const label = STATE_LABEL[row.state];
                      const open = row.state === 'pending' || row.state === 'expired';
                      return (
                        <tr key={row.id} data-testid="invitation-row">
                          <th scope="row" data-label="E-mail">
                            {row.email}
                          </th>
                          <td data-label="State">
                            <span className={`badge ${label.badge}`}>{label.label}</span>
                            {row.acceptedAt ? <span className="cell-sub">{atMinute(row.acceptedAt, zone)}</span> : null}
                          </td>
                          <td data-label="Invited">
                            {atMinute(row.createdAt, zone)}
                            {row.invitedBy ? <span className="cell-sub">by {row.invitedBy}</span> : null}
                          </td>
                          <td data-label="Expires">{atMinute(row.expiresAt, zone)}</td>
                          <td data-label="Sent">
                            {row.sendCount}×
                            {row.lastSentAt ? <span className="cell-sub">{atMinute(row.lastSentAt, zone)}</span> : null}
                          </td>
                          <td data-label="Actions">
                            {open ? (
                              <span className="row-actions">
                                <Button size="sm" onClick={() => resend(row)} disabled={rowAction.busy}>
                                  Resend
                                </Button>
                                <Button size="sm" variant="danger" onClick={() => setRevoking(row)}>
                                  Revoke
                                </Button>
                              </span>
                            ) : (
                              '—'
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty-inline">No invitations {state ? `that are ${state}` : 'yet'}.</p>
            )
          ) : null}
        </section>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this invitation?"
        confirmLabel="Revoke"
        danger
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        The link sent to {revoking?.email} stops working. You can invite the address again later.
      </ConfirmDialog>
    </>
  );
}

function InviteOutcome({ result }: { result: InviteResult }) {
  return (
    <div className="stack invite-outcome" data-testid="invite-outcome">
      <Notice>
        {result.invited.length === 1 ? '1 invitation' : `${result.invited.length} invitations`}{' '}
        {result.emailed ? 'sent by e-mail.' : 'made.'}
        {result.skipped.length ? ` Skipped: ${result.skipped.map((s) => `${s.email} (${s.reason})`).join(', ')}.` : ''}
      </Notice>
      {result.mailError ? <ErrorAlert>{result.mailError}</ErrorAlert> : null}
      {result.links.length ? (
        <ul className="plain-list">
          {result.links.map((link) => (
            <li key={link.email}>
              {link.email}: <code className="token-once">{link.url}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
