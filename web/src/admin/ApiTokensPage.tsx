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

/**
 * A source's name as the meetings API takes it in its path; kept in step with MEETING_SOURCE_PATTERN
 * and CONVENE_SOURCES in src/contract/meetings.ts (the server checks again).
 */
const SOURCE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const RESERVED_SOURCES = ['round', 'manual', 'unconference', 'intra42'];

/** The sources typed in the form: separated by commas or spaces, each once. */
const sourcesOf = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** Why a typed source cannot be one, or null. */
function badSource(source: string): string | null {
  if (RESERVED_SOURCES.includes(source)) return `“${source}” is Convene's own source: choose another name.`;
  if (!SOURCE_PATTERN.test(source))
    return `“${source}” is not a source name: 1–40 lower-case letters, digits, - or _, starting with a letter or digit.`;
  return null;
}

/** A token's sources as the list says them. */
const sourcesText = (sources: string[] | null) => (sources ? sources.join(', ') : 'Any');

/** Tokens for machine callers of the meetings API: made here, shown once, revocable. */
export function ApiTokensPage() {
  const zone = useTimeZone();
  useDocumentTitle('API tokens');
  const tokens = useLoad('api-tokens', (signal) => listApiTokens(signal));
  const [name, setName] = useState('');
  const [sources, setSources] = useState('');
  const [made, setMade] = useState<{ token: string; name: string; sources: string[] | null } | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const action = useAsyncAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    const chosen = sourcesOf(sources);
    const bad = chosen.map(badSource).find(Boolean);
    if (bad) {
      action.setError({ message: bad, field: 'sources' });
      return;
    }
    void action.run(async () => {
      const answer = await createApiToken({ name, scopes: [...API_SCOPES], sources: chosen });
      setMade({ token: answer.token, name: answer.apiToken.name, sources: answer.apiToken.sources });
      setName('');
      setSources('');
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
          <form onSubmit={create} className="tokens-new-form" aria-label="New token">
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
            {/* Under the name, in its column: "Create token" stays on the name's line (after both on a phone). */}
            <div style={{ gridColumn: 1 }}>
              <TextField
                label="Sources (optional)"
                name="sources"
                value={sources}
                maxLength={1000}
                autoCapitalize="none"
                autoCorrect="off"
                spellCheck={false}
                hint="The sources it may create, change, cancel and read meetings of, e.g. “hr-tool”; several separated by commas. Empty: any source."
                error={action.error?.field?.startsWith('sources') ? action.error : null}
                onChange={(e) => setSources(e.target.value)}
              />
            </div>
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
                <TokenExample token={made.token} sources={made.sources} />
              </div>
            </Notice>
          ) : null}
          {action.error && action.error.field !== 'name' && !action.error.field?.startsWith('sources') ? (
            <ErrorAlert>{action.error.message}</ErrorAlert>
          ) : null}
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
                  <TableHead columns={['Name', 'Scopes', 'Sources', 'Created', 'Last used', 'State']} actions={false} />
                  <tbody>
                    {tokens.data.tokens.map((t) => (
                      <tr key={t.id}>
                        <th scope="row" data-label="Name">
                          {t.name}
                        </th>
                        <td data-label="Scopes">{t.scopes.join(', ')}</td>
                        <td data-label="Sources">{sourcesText(t.sources)}</td>
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

/**
 * How the token just made is used, with this server's address and the token in place: what the
 * caller's developer needs, shown with the token (the only time it is).
 */
function TokenExample({ token, sources }: { token: string; sources: string[] | null }) {
  const source = sources?.[0] ?? 'hr-tool';
  const endpoint = `${window.location.origin}/api/v1/meetings/by-source/${source}/onboarding-17`;
  const curl = [
    `curl -X PUT ${endpoint} \\`,
    `  -H "Authorization: Bearer ${token}" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '{"title": "Onboarding", "startsAt": "2030-03-02T09:30:00+01:00", "participants": ["ada@example.org"]}'`,
  ].join('\n');
  return (
    <div className="token-example" data-testid="token-example" style={{ marginTop: '1rem' }}>
      <h3 className="card-title">Using it</h3>
      <p>
        {sources
          ? `It may be used for ${sources.length === 1 ? 'the source' : 'the sources'} ${sources.join(', ')} only. `
          : 'It may be used for any source (here “hr-tool”). '}
        Send it in the <code>Authorization</code> header of each call to{' '}
        <code className="token-value">
          {window.location.origin}/api/v1/meetings/by-source/{'{source}'}/{'{externalId}'}
        </code>
        <code>PUT</code> creates or updates a meeting, <code>DELETE</code> cancels it, <code>GET</code> reads back what
        is stored:
      </p>
      <p>
        <code className="token-value">Authorization: Bearer {token}</code>
      </p>
      <pre data-testid="token-curl" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: '0 0 0.5rem' }}>
        <code>{curl}</code>
      </pre>
      <p>
        The fields, answers and errors:{' '}
        <a href="/api/openapi.json" target="_blank" rel="noreferrer">
          the meetings API reference (OpenAPI)
        </a>
        , and “Any other system: the meetings API” in Convene's docs/sources.md.
      </p>
    </div>
  );
}
