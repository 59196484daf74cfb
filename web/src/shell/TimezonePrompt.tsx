import { useMemo } from 'react';
import { updateMe } from '../api/auth';
import { useAuth } from '../auth/authContext';
import { browserTimeZone, canonicalTimeZone } from '../profile/timezones';
import { Button } from '../ui/Button';
import { useAsyncAction } from '../ui/useAsyncAction';

/**
 * Asked once, on any page: an account whose timezone nobody chose (the server's default, the first
 * admin's included) is offered the browser's. Either answer is saved as confirmed, so it does not
 * come back; choosing a zone on the profile answers it too.
 */
export function TimezonePrompt() {
  const { person, setPerson } = useAuth();
  const browserZone = useMemo(() => canonicalTimeZone(browserTimeZone()), []);
  const { busy, error, run } = useAsyncAction();
  if (!person || person.timezoneConfirmed || !browserZone || browserZone === canonicalTimeZone(person.timezone))
    return null;

  const answer = (timezone: string) => void run(async () => setPerson(await updateMe({ timezone })));

  return (
    <section className="timezone-prompt" aria-label="Time zone check">
      <p>
        Your timezone looks like <strong>{browserZone}</strong> — use it? Meeting times are shown and sent in your
        timezone (now {person.timezone}).
      </p>
      <div className="timezone-prompt-actions">
        <Button variant="primary" size="sm" busy={busy} onClick={() => answer(browserZone)}>
          Use {browserZone}
        </Button>
        <Button size="sm" busy={busy} onClick={() => answer(person.timezone)}>
          Keep {person.timezone}
        </Button>
      </div>
      {error ? <p className="field-error">{error.message}</p> : null}
    </section>
  );
}
