import { useState } from 'react';
import { ErrorAlert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { toFormError } from '../../ui/formError';
import { useLoad } from '../../ui/useLoad';
import { type FeedCreatedView, getFeedStatus, makeFeed, revokeFeed } from './api';

/**
 * Subscribe in a calendar app: a personal, secret feed URL (no sign-in needed to read it), shown
 * once when made; making a new one or revoking it stops the old URLs.
 */
export function FeedCard({ eventId }: { eventId: string }) {
  const status = useLoad('calendar-feed', (signal) => getFeedStatus(signal));
  const [made, setMade] = useState<FeedCreatedView | null>(null);
  const [busy, setBusy] = useState<'make' | 'revoke' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hasFeed = Boolean(made || status.data?.feed);

  async function act(kind: 'make' | 'revoke') {
    setBusy(kind);
    setError(null);
    try {
      if (kind === 'make') setMade(await makeFeed());
      else {
        await revokeFeed();
        setMade(null);
      }
      status.reload();
    } catch (caught) {
      setError(toFormError(caught).message);
    } finally {
      setBusy(null);
    }
  }

  const base = made?.baseUrl;
  const urls = base
    ? [
        { label: 'My agenda', url: `${base}unconference/${eventId}/agenda.ics` },
        { label: 'Whole event', url: `${base}unconference/${eventId}/event.ics` },
      ]
    : [];
  return (
    <section className="card attend-feed" aria-labelledby="feed-title">
      <h2 id="feed-title" className="card-title">
        In your calendar
      </h2>
      <p className="card-lede">
        Subscribe to your agenda in Google Calendar, Outlook or Apple Calendar. The address is personal: whoever has it
        can read your agenda.
      </p>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      {urls.length ? (
        <div className="attend-feed-urls">
          <p className="card-note">Copy these now: they are shown only once.</p>
          {urls.map((u) => (
            <label key={u.label} className="field">
              <span className="field-label">{u.label}</span>
              <input className="input attend-feed-url" readOnly value={u.url} onFocus={(e) => e.target.select()} />
            </label>
          ))}
        </div>
      ) : hasFeed ? (
        <p className="card-note">
          You have a feed address
          {status.data?.feed?.lastUsedAt ? ', and a calendar has read it' : ''}. Lost it? Make a new one: the old one
          stops working.
        </p>
      ) : null}
      <div className="form-actions">
        <Button variant="primary" busy={busy === 'make'} onClick={() => act('make')}>
          {hasFeed ? 'Make a new feed address' : 'Get a feed address'}
        </Button>
        {hasFeed ? (
          <Button variant="danger" busy={busy === 'revoke'} onClick={() => act('revoke')}>
            Revoke
          </Button>
        ) : null}
      </div>
    </section>
  );
}
