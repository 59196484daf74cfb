import { useState } from 'react';
import type { Speaker } from '../api/talks';
import { initials } from './format';

/** The speaker's picture (or initials), name and role. */
export function SpeakerLine({ speaker }: { speaker: Speaker }) {
  const [failed, setFailed] = useState(false);
  const role = [speaker.title, speaker.team].filter(Boolean).join(', ');
  return (
    <p className="talk-speaker">
      {speaker.avatarUrl && !failed ? (
        <img className="avatar" src={speaker.avatarUrl} alt="" loading="lazy" onError={() => setFailed(true)} />
      ) : (
        <span className="avatar" aria-hidden="true">
          {initials(speaker.name)}
        </span>
      )}
      <span>
        <span className="talk-speaker-name">{speaker.name}</span>
        {role ? <span className="talk-speaker-role">{role}</span> : null}
      </span>
    </p>
  );
}
