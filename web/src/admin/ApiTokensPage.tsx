import { type FormEvent, useState } from 'react';
import { API_SCOPES, type ApiToken, createApiToken, listApiTokens, revokeApiToken } from '../api/ingest';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { TextField } from '../ui/Field';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { TableHead } from '../ui/TableHead';
import { useAsyncAction } from '../ui/useAsyncAction';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';

/** Tokens for machine callers of the meetings API: made here, shown once, revocable. */
export function ApiTokensPage() {
  const zone = useTimeZone();
  useDocumentTitle('API tokens');
  const tokens = useLoad('api-tokens', (signal) => listApiTokens(signal));
  const [name, setName] = useState('');
  const [made, setMade] = useState<{ token: string; name: string } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const action = useAsyncAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const answer = await createApiToken({ name, scopes: [...API_SCOPES] });
      setMade({ token: answer.token, name: answer.apiToken.name });
      setName('');
      setCopied(null);
      tokens.reload();
    });
  };
  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.token);
      setCopied('Copied.');
    } catch {
      setCopied('Copying is not allowed here: select the token and copy it yourself.');
    }
  };
  const revoke = () => {
    const target = revoking;
    setRevoking(null);
    if (!target) return;
    void action.run(async () => {
      await revokeApiToken(target.id);
      tokens.reload();
    });
  };

  return (
    <>
      <header className="page-header">
        <h1>API tokens</h1>
        <p className="page-lede">
          Other systems create and cancel meetings through the meetings API with a token made here.
        </p>
      </header>
      <div className="stack">
        <section className="card tokens-new" aria-labelledby="new-token-title">
          <h2 id="new-token-title" className="card-title">
            New token
          </h2>
          <form onSubmit={create} className="tokens-new-form">
            <TextField
              label="Name"
              name="name"
              value={name}
              required
              maxLength={100}
              hint="Who uses it, e.g. “HR onboarding”. Scope: meetings:write."
              error={action.error?.field === 'name' ? action.error : null}
              onChange={(e) => setName(e.target.value)}
            />
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={action.busy}>
                Create token
              </Button>
            </div>
          </form>
          {made ? (
            <Notice>
              <div className="token-once">
                <p>
                  The token for <strong>{made.name}</strong>. It is shown only now: copy it and keep it safe.
                </p>
                <p>
                  <code data-testid="new-token" className="token-value">
                    {made.token}
                  </code>
                </p>
                <Button size="sm" onClick={() => void copy()}>
                  Copy
                </Button>{' '}
                <StatusMessage>{copied}</StatusMessage>
              </div>
            </Notice>
          ) : null}
          {action.error && action.error.field !== 'name' ? <ErrorAlert>{action.error.message}</ErrorAlert> : null}
        </section>
        <section className="card" aria-labelledby="tokens-title">
          <h2 id="tokens-title" className="card-title">
            Tokens
          </h2>
          {tokens.error ? <LoadError what="API tokens" message={tokens.error} onRetry={tokens.reload} /> : null}
          {tokens.loading && !tokens.data ? <Loading label="Loading tokens…" /> : null}
          {tokens.data ? (
            tokens.data.tokens.length ? (
              <div className="table-wrap">
                <table className="table messages-table tokens-table">
                  <caption className="visually-hidden">API tokens, newest first</caption>
                  <TableHead columns={['Name', 'Scopes', 'Created', 'Last used', 'State']} actions={false} />
                  <tbody>
                    {tokens.data.tokens.map((t) => (
                      <tr key={t.id}>
                        <th scope="row" data-label="Name">
                          {t.name}
                        </th>
                        <td data-label="Scopes">{t.scopes.join(', ')}</td>
                        <td data-label="Created">{atMinute(t.createdAt, zone)}</td>
                        <td data-label="Last used">{atMinute(t.lastUsedAt, zone)}</td>
                        <td data-label="State">
                          {t.revokedAt ? (
                            <>
                              <span className="badge badge-off">Revoked</span>
                              <span className="cell-sub">{atMinute(t.revokedAt, zone)}</span>
                            </>
                          ) : (
                            <span className="token-state">
                              <span className="badge badge-ok">Active</span>
                              <Button size="sm" variant="danger" onClick={() => setRevoking(t)}>
                                Revoke
                              </Button>
                            </span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <p className="empty-inline">No tokens yet.</p>
            )
          ) : null}
        </section>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        confirmLabel="Revoke"
        danger
        onConfirm={revoke}
        onCancel={() => setRevoking(null)}
      >
        {/* The date too: tokens made before names had to differ may still share one. */}
        Calls with “{revoking?.name}” (made {revoking ? atMinute(revoking.createdAt, zone) : ''}) are refused from now
        on. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
