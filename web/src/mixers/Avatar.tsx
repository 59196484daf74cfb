import { useState } from 'react';
import { initials } from './format';

interface AvatarProps {
  name: string;
  url?: string | null;
  size?: 'md' | 'lg';
}

/** A person's picture, or their initials when there is none (or it fails to load). */
export function Avatar({ name, url, size = 'md' }: AvatarProps) {
  const [failed, setFailed] = useState(false);
  const className = size === 'lg' ? 'avatar mixer-avatar mixer-avatar-lg' : 'avatar mixer-avatar';
  if (url && !failed) {
    return <img className={className} src={url} alt="" loading="lazy" onError={() => setFailed(true)} />;
  }
  return (
    <span className={className} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
