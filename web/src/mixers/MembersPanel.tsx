import { type FormEvent, useState } from 'react';
import { addMember, changeMembership, type GroupMember, type MixerGroup } from '../api/mixers';
import type { AdminPerson } from '../api/types';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { onDay } from '../ui/dates';
import { TextField } from '../ui/Field';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import type { Loaded } from '../ui/useLoad';
import { formatPauseDate } from './format';
import { PersonResultText, usePeopleSearch } from './PeopleSearch';

function MemberStatus({ member }: { member: GroupMember }) {
  if (!member.enabled) return <span className="badge badge-off">Account disabled</span>;
  if (member.status === 'left') return <span className="badge badge-member">Left</span>;
  if (member.status === 'paused')
    return (
      <span className="badge badge-warn">
        Paused{member.pausedUntil ? ` until ${formatPauseDate(member.pausedUntil)}` : ''}
      </span>
    );
  return <span className="badge badge-ok">Active</span>;
}

/** Finding someone in the directory and adding them to the group. */
function AddPerson({
  group,
  members,
  onAdded,
}: {
  group: MixerGroup;
  members: GroupMember[];
  onAdded: (message: string) => void;
}) {
  const [q, setQ] = useState('');
  const { results, searching, error: searchError } = usePeopleSearch(q);
  const [adding, setAdding] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const inGroup = new Map(members.map((m) => [m.id, m]));

  async function add(person: AdminPerson) {
    setAdding(person.id);
    setAddError(null);
    try {
      await addMember(group.id, person.id);
      onAdded(`Added ${person.name || person.username}.`);
    } catch (error) {
      setAddError(`Couldn’t add ${person.name || person.username}: ${toFormError(error).message}`);
    } finally {
      setAdding(null);
    }
  }

  return (
    <search aria-label="Add a person to the group" className="add-person">
      <form onSubmit={(e: FormEvent) => e.preventDefault()} role="none">
        <TextField
          label="Add person"
          name="personSearch"
          hint="Search by name, username or email."
          type="search"
          autoComplete="off"
          placeholder="e.g. Ada"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </form>
      {searchError ? <ErrorAlert>Couldn’t search people: {searchError}</ErrorAlert> : null}
      {addError ? <ErrorAlert>{addError}</ErrorAlert> : null}
      {searching && !results ? <Loading label="Searching…" /> : null}
      {results && results.length === 0 && !searching ? (
        <p className="muted add-person-empty">Nobody matches “{q.trim()}”.</p>
      ) : null}
      {results && results.length > 0 ? (
        <ul className="person-results" aria-busy={searching || undefined} aria-label="Search results">
          {results.map((person) => {
            const existing = inGroup.get(person.id);
            const member = existing && existing.status !== 'left';
            return (
              <li key={person.id}>
                <PersonResultText person={person} />
                {member ? (
                  <span className="badge badge-ok">Member</span>
                ) : (
                  <Button
                    size="sm"
                    busy={adding === person.id}
                    disabled={adding !== null}
                    aria-label={`Add ${person.name || person.username}`}
                    onClick={() => void add(person)}
                  >
                    Add
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </search>
  );
}

/** Admin: the group's members, adding and removing people. */
export function MembersPanel({
  group,
  members,
  timeZone,
  onChanged,
}: {
  group: MixerGroup;
  members: Loaded<GroupMember[]>;
  timeZone: string;
  onChanged: () => void;
}) {
  const [showLeft, setShowLeft] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<GroupMember | null>(null);
  const all = members.data ?? [];
  const current = all.filter((m) => m.status !== 'left');
  const left = all.filter((m) => m.status === 'left');
  const shown = showLeft ? all : current;

  async function remove(member: GroupMember) {
    setRemoving(member.id);
    setRemoveError(null);
    setOutcome(null);
    try {
      await changeMembership(group.id, 'leave', member.id);
      setOutcome(`Removed ${member.name || member.username}.`);
      onChanged();
    } catch (error) {
      setRemoveError(`Couldn’t remove ${member.name || member.username}: ${toFormError(error).message}`);
    } finally {
      setRemoving(null);
    }
  }

  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card-header">
        <h2 id="members-title" className="card-title">
          Members
        </h2>
        {members.data ? (
          <p className="card-meta">
            {current.length} current{left.length ? `, ${left.length} left` : ''}
          </p>
        ) : null}
      </div>
      {group.archived ? null : (
        <AddPerson
          group={group}
          members={all}
          onAdded={(message) => {
            setOutcome(message);
            onChanged();
          }}
        />
      )}
      <StatusMessage>{outcome}</StatusMessage>
      {removeError ? <ErrorAlert>{removeError}</ErrorAlert> : null}
      {members.error ? <LoadError what="members" message={members.error} onRetry={members.reload} /> : null}
      {!members.data && members.loading ? <Loading label="Loading members…" /> : null}
      {members.data && current.length === 0 ? (
        <div className="empty-inline">
          <p>
            No members yet —{' '}
            {group.membership === 'open'
              ? 'people join from the Mixers page, or add someone above.'
              : group.membership === 'auto'
                ? 'everyone eligible is added at the next round, or add someone above.'
                : 'add people above.'}
          </p>
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="member-list" aria-busy={members.loading || undefined}>
          {shown.map((member) => (
            <li key={member.id} className={member.status === 'left' ? 'member is-left' : 'member'}>
              <div className="member-main">
                <span className="member-name">{member.name || member.username}</span>
                <span className="muted member-sub">
                  @{member.username}
                  {[member.title, member.team].filter(Boolean).length
                    ? ` · ${[member.title, member.team].filter(Boolean).join(' · ')}`
                    : ''}
                </span>
              </div>
              <div className="member-meta">
                <MemberStatus member={member} />
                <span className="muted member-joined">Joined {onDay(member.joinedAt, timeZone)}</span>
              </div>
              {member.status !== 'left' && !group.archived ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="member-remove"
                  busy={removing === member.id}
                  disabled={removing !== null}
                  aria-label={`Remove ${member.name || member.username}`}
                  onClick={() => setConfirmRemove(member)}
                >
                  Remove
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {left.length > 0 ? (
        <Button size="sm" variant="ghost" onClick={() => setShowLeft((v) => !v)}>
          {showLeft ? 'Hide people who left' : `Show ${left.length} who left`}
        </Button>
      ) : null}
      <ConfirmDialog
        open={confirmRemove !== null}
        title={confirmRemove ? `Remove ${confirmRemove.name || confirmRemove.username}?` : 'Remove member?'}
        confirmLabel="Remove from group"
        danger
        onCancel={() => setConfirmRemove(null)}
        onConfirm={() => {
          const member = confirmRemove;
          setConfirmRemove(null);
          if (member) void remove(member);
        }}
      >
        <p>They won’t be paired in this group any more. Their past rounds stay in the history and stats.</p>
      </ConfirmDialog>
    </section>
  );
}
