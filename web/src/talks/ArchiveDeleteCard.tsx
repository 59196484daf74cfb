import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { type AdminTalksEvent, deleteTalksEvent, getTalksDeletion, setTalksArchived } from '../api/talks';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { toFormError } from '../ui/formError';
import { plural } from '../ui/plural';

/** Archive (kept, out of the everyday list) or delete (gone, with its proposals and votes, after confirming). */
export function ArchiveDeleteCard({
  event,
  onChanged,
}: {
  event: AdminTalksEvent;
  onChanged: (message: string) => void;
}) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The counts are asked for when the dialog opens, so it names what goes now, not at page load.
  const [deleting, setDeleting] = useState<{ proposals: number; votes: number } | null>(null);

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (caught) {
      setError(toFormError(caught).message);
    } finally {
      setBusy(false);
    }
  }

  const archived = event.archivedAt !== null;
  return (
    <section className="card" aria-labelledby="archive-title">
      <h2 id="archive-title" className="card-title">
        Archive or delete
      </h2>
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
      <p>
        {archived
          ? 'This event is archived: its results are kept, and it is out of the everyday list.'
          : 'Archiving keeps the event and its results, out of the everyday list. Deleting removes it for good.'}
      </p>
      <div className="talks-form-row">
        <Button
          variant="secondary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              await setTalksArchived(event.id, !archived);
              onChanged(archived ? `“${event.name}” is back in the list.` : `“${event.name}” is archived.`);
            })
          }
        >
          {archived ? 'Unarchive' : 'Archive'}
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={() => void act(async () => setDeleting(await getTalksDeletion(event.id)))}
        >
          Delete event…
        </Button>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${event.name}”?`}
        confirmLabel="Delete event"
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          setDeleting(null);
          void act(async () => {
            await deleteTalksEvent(event.id);
            navigate('/talks');
          });
        }}
      >
        <p>
          {plural(deleting?.proposals ?? 0, 'proposal')} and {plural(deleting?.votes ?? 0, 'vote')} will be deleted with
          it. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  );
}
