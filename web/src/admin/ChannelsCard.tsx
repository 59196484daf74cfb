import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { type ChannelView, saveChannel, testChannel } from '../api/notifications';
import { useCurrentPerson } from '../auth/authContext';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { TextField } from '../ui/Field';
import { fieldError, fieldMessage, formLevelError } from '../ui/formError';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';

/** A Standard Webhooks signing secret, made in the browser so it is never sent anywhere but on save. */
function generateWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

interface ChannelCardProps {
  channel: ChannelView;
  onSaved: (channel: ChannelView) => void;
}

export function ChannelCard({ channel, onSaved }: ChannelCardProps) {
  const titleId = useId();
  const managed = channel.source === 'config';
  return (
    <section className="card channel-card" aria-labelledby={titleId}>
      <div className="channel-card-head">
        <h2 id={titleId} className="card-title">
          {channel.label}
        </h2>
        <span className="badges">
          <span className={channel.enabled ? 'badge badge-ok' : 'badge badge-off'}>
            {channel.enabled ? 'On' : 'Off'}
          </span>
          {managed ? <span className="badge badge-warn">Config file</span> : null}
        </span>
      </div>
      {!channel.reachesPeople ? (
        <p className="card-note">Sends one event per meeting change to another system, not to a person.</p>
      ) : null}
      {managed ? <ManagedChannel channel={channel} /> : <ChannelForm channel={channel} onSaved={onSaved} />}
      {channel.enabled ? <TestMessage channel={channel} /> : null}
    </section>
  );
}

function ManagedChannel({ channel }: { channel: ChannelView }) {
  return (
    <>
      <Notice>
        Set in the config file (or environment). Change it there and restart Convene; it can’t be edited here.
      </Notice>
      <dl className="details channel-details">
        {channel.fields.map((field) => {
          const value = field.secret ? channel.secrets[field.name] : channel.settings[field.name];
          return (
            <div key={field.name}>
              <dt>{field.label}</dt>
              <dd>{value ?? <span className="muted">Not set</span>}</dd>
            </div>
          );
        })}
      </dl>
    </>
  );
}

function ChannelForm({ channel, onSaved }: ChannelCardProps) {
  const [enabled, setEnabled] = useState(channel.enabled);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(channel.fields.map((f) => [f.name, f.secret ? '' : (channel.settings[f.name] ?? '')])),
  );
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const switchId = useId();

  const change = (name: string, value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setSaved(false);
  };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const next = await saveChannel(channel.channel, { enabled, ...values });
      onSaved(next);
      // Secrets are never shown again: the fields go back to "leave blank to keep".
      setValues((current) =>
        Object.fromEntries(Object.entries(current).map(([k, v]) => [k, next.secrets[k] !== undefined ? '' : v])),
      );
      setRevealed(new Set());
      setSaved(true);
    });
  }

  const formError = formLevelError(
    error,
    channel.fields.map((f) => f.name),
  );
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={`${channel.label} settings`}>
      {formError ? <ErrorAlert>{formError.message}</ErrorAlert> : null}
      <label className="checkbox channel-switch" htmlFor={switchId}>
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          aria-checked={enabled}
          checked={enabled}
          onChange={(e) => {
            setEnabled(e.target.checked);
            setSaved(false);
          }}
        />
        Send messages by {channel.label}
      </label>
      {channel.fields.map((field) => {
        const stored = channel.secrets[field.name];
        const address = boundAddress(channel, field.name);
        // The server refuses to send a stored secret to a new address, so say so before it does.
        const movedAway =
          address && stored && (values[address.name] ?? '').trim() !== (channel.settings[address.name] ?? '');
        const keep = movedAway
          ? `Stored: ${stored} — give it again: the ${address.label} changed.`
          : stored
            ? `Stored: ${stored} — leave blank to keep.`
            : 'Not set yet.';
        const bound = field.secretsBound
          .map((name) => channel.fields.find((f) => f.name === name)?.label ?? name)
          .join(' and ');
        const hint = field.secret
          ? [keep, field.hint].filter(Boolean).join(' ')
          : [field.hint, bound ? `Changing it means giving the ${bound} again.` : null].filter(Boolean).join(' ') ||
            undefined;
        const input = (
          <TextField
            key={field.name}
            label={field.required ? field.label : `${field.label} (optional)`}
            name={field.name}
            type={field.secret && !revealed.has(field.name) ? 'password' : 'text'}
            autoComplete={field.secret ? 'new-password' : 'off'}
            autoCapitalize="none"
            spellCheck={false}
            placeholder={field.secret && stored ? stored : (field.placeholder ?? undefined)}
            hint={hint}
            value={values[field.name] ?? ''}
            onChange={(e) => change(field.name, e.target.value)}
            error={fieldError(error, field.name)}
          />
        );
        if (channel.channel !== 'webhook' || field.name !== 'secret') return input;
        return (
          <div key={field.name} className="code-row">
            {input}
            <Button
              size="sm"
              className="code-generate"
              onClick={() => {
                change(field.name, generateWebhookSecret());
                setRevealed((r) => new Set(r).add(field.name));
              }}
            >
              Generate a secret
            </Button>
          </div>
        );
      })}
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save {channel.label}
        </Button>
        <StatusMessage>{saved ? 'Saved' : null}</StatusMessage>
      </div>
    </form>
  );
}

/** The address field whose change makes this secret needed again, if any. */
function boundAddress(channel: ChannelView, secretName: string) {
  return channel.fields.find((f) => f.secretsBound.includes(secretName));
}

function TestMessage({ channel }: { channel: ChannelView }) {
  const person = useCurrentPerson();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [to, setTo] = useState('');
  // The built-in admin has no e-mail address: a blank "Send to" then has nowhere to go. Said here in
  // plain words, with where to give the account one, rather than the server's field-named refusal.
  const [noAddress, setNoAddress] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const toError = fieldError(error, 'to');
  const showNoAddress = noAddress || (toError !== null && !to.trim());
  return (
    <div className="channel-test">
      {channel.reachesPeople ? (
        <TextField
          label="Send to"
          name={`${channel.channel}-test-to`}
          type="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          hint={
            channel.channel === 'email'
              ? 'An e-mail address. Leave blank to use your own.'
              : `The e-mail address of a ${channel.label} account. Leave blank to use your own.`
          }
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            setNoAddress(false);
          }}
          error={
            toError && !showNoAddress ? { ...toError, message: fieldMessage(toError.message, 'to', 'Send to') } : null
          }
        />
      ) : null}
      <Button
        busy={busy}
        onClick={() => {
          setResult(null);
          if (channel.reachesPeople && !to.trim() && !person.email) {
            setNoAddress(true);
            return;
          }
          setNoAddress(false);
          void run(async () => setResult(await testChannel(channel.channel, channel.reachesPeople ? to : '')));
        }}
      >
        Send a test message
      </Button>
      <StatusMessage>{result?.ok ? result.message : null}</StatusMessage>
      {showNoAddress ? (
        <ErrorAlert>
          Your account has no e-mail address, so the test has nowhere to go. Type an address in “Send to”, or give your
          account one: in <Link to={`/admin?q=${encodeURIComponent(person.username)}`}>People &amp; sign-up</Link>,
          click your name and fill in Email.
        </ErrorAlert>
      ) : null}
      {result && !result.ok ? <ErrorAlert>Test failed: {result.message}</ErrorAlert> : null}
      {error && !toError ? <ErrorAlert>{error.message}</ErrorAlert> : null}
    </div>
  );
}
