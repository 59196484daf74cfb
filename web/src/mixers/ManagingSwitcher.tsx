import type { PersonRef } from '../api/mixers';

/** "Managing: Me / Ada …": whose mixers the page shows, for someone others named as assistant. */
export function ManagingSwitcher({
  people,
  personId,
  onChange,
}: {
  people: PersonRef[];
  personId: string | undefined;
  onChange: (personId: string | undefined) => void;
}) {
  const options: Array<{ id: string | undefined; label: string }> = [
    { id: undefined, label: 'Me' },
    ...people.map((p) => ({ id: p.id, label: p.name || p.username })),
  ];
  return (
    <fieldset className="managing">
      <legend className="managing-label">Managing:</legend>
      <div className="segmented">
        {options.map((option) => (
          <button
            key={option.id ?? 'me'}
            type="button"
            className="segmented-option"
            aria-pressed={option.id === personId}
            onClick={() => onChange(option.id)}
          >
            {option.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
