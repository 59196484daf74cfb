import { useRef, useState } from 'react';
import { removePhoto, uploadPhoto } from '../api/accountData';
import { useAuth, useCurrentPerson } from '../auth/authContext';
import { Avatar } from '../mixers/Avatar';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { StatusMessage } from '../ui/StatusMessage';
import { useAsyncAction } from '../ui/useAsyncAction';

/** The server checks and resizes; these only spare a pointless upload. Kept in step with features/accounts/photos.ts. */
const ACCEPTED = 'image/png,image/jpeg,image/webp';
const MAX_MB = 8;

/** "Photo" on the profile: upload one (it is cropped square and resized on the server) or remove it. */
export function PhotoSection() {
  const person = useCurrentPerson();
  const { setPerson } = useAuth();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { busy, error, setError, run } = useAsyncAction();

  function choose(file: File | undefined) {
    setMessage(null);
    if (!file) return;
    if (file.size > MAX_MB * 1024 * 1024) {
      setError({ message: `That file is larger than ${MAX_MB} MB: choose a smaller photo.`, field: 'photo' });
      return;
    }
    void run(async () => {
      const { avatarUrl } = await uploadPhoto(file);
      setPerson({ ...person, avatarUrl });
      setMessage('Photo saved');
    });
    if (input.current) input.current.value = '';
  }

  return (
    <section className="card" aria-labelledby="photo-title">
      <h2 id="photo-title" className="card-title">
        Photo
      </h2>
      {error ? <ErrorAlert>{error.message}</ErrorAlert> : null}
      <div className="photo-row">
        <Avatar key={person.avatarUrl ?? 'none'} name={person.name} url={person.avatarUrl} size="lg" />
        <div className="photo-actions">
          <p className="muted">PNG, JPEG or WebP, up to {MAX_MB} MB. It is cropped to a square.</p>
          <div className="form-actions">
            <label className={`btn btn-secondary${busy ? ' is-busy' : ''}`}>
              <span className="btn-label">{person.avatarUrl ? 'Change photo' : 'Upload photo'}</span>
              <input
                ref={input}
                className="visually-hidden"
                type="file"
                name="photo"
                accept={ACCEPTED}
                disabled={busy}
                onChange={(e) => choose(e.target.files?.[0])}
              />
            </label>
            {person.avatarUrl ? (
              <Button
                busy={busy}
                onClick={() =>
                  void run(async () => {
                    await removePhoto();
                    setPerson({ ...person, avatarUrl: null });
                    setMessage('Photo removed');
                  })
                }
              >
                Remove photo
              </Button>
            ) : null}
            <StatusMessage>{message}</StatusMessage>
          </div>
        </div>
      </div>
    </section>
  );
}
