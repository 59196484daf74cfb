import { Link } from 'react-router-dom';
import type { TimetableView } from '../../api/unconference';
import { ErrorAlert } from '../../ui/Alert';
import type { FormError } from '../../ui/formError';

/** Runs one timetable change; the answer (the whole timetable) replaces the one shown. Throws on refusal. */
export type Change = (work: () => Promise<TimetableView>) => Promise<void>;

/**
 * A refusal that belongs to no field, shown where it happened. A day, slot or room that holds
 * sessions cannot go: the message says how many, and the link leads to where they can be moved.
 */
export function Refusal({ error, eventId }: { error: FormError | null; eventId: string }) {
  if (!error) return null;
  const held = /holds sessions/.test(error.message);
  return (
    <div className="unconf-refusal">
      <ErrorAlert
        action={
          held ? (
            <Link className="btn btn-secondary btn-sm" to={`/admin/unconference/${eventId}/schedule`}>
              <span className="btn-label">Open the schedule console</span>
            </Link>
          ) : undefined
        }
      >
        {error.message.replace(/^\w+: /, '')}
      </ErrorAlert>
    </div>
  );
}
