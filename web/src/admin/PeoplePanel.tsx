import { type FormEvent, useEffect, useState } from 'react';
import { applyPersonAction, editPerson, listPeople } from '../api/admin';
import { isAbortError } from '../api/client';
import type { AdminPerson, EditPersonInput, PeoplePage, PersonAction, PersonState, Role } from '../api/types';
import { useAuth, useCurrentPerson } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Field } from '../ui/Field';
import { FilterSelect } from '../ui/FilterSelect';
import { type FormError, toFormError } from '../ui/formError';
import { Pagination } from '../ui/Pagination';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { EditPersonDialog } from './EditPersonDialog';
import { type PendingAction, PeopleTable } from './PeopleTable';
import { PersonDataDialog } from './PersonDataDialog';
import { ACTION_LABELS, describeOutcome, displayName } from './personActions';
import { PAGE_SIZE, usePeopleFilters } from './usePeopleFilters';

const SEARCH_DELAY_MS = 300;

export function PeoplePanel() {
  const me = useCurrentPerson();
  const { setPerson } = useAuth();
  const [filters, updateFilters] = usePeopleFilters();
  const [searchText, setSearchText] = useState(filters.q);
  const [data, setData] = useState<PeoplePage | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [confirmDisable, setConfirmDisable] = useState<AdminPerson | null>(null);
  /** A promotion waiting for the admin's yes: from the Promote button, or from the edit form. */
  const [confirmPromote, setConfirmPromote] = useState<{ person: AdminPerson; proceed: () => void } | null>(null);
  const [editing, setEditing] = useState<AdminPerson | null>(null);
  const [saving, setSaving] = useState(false);
  const [editError, setEditError] = useState<FormError | null>(null);
  const [dataOf, setDataOf] = useState<AdminPerson | null>(null);

  // Search as the admin types, after a short pause.
  useEffect(() => {
    if (searchText.trim() === filters.q) return;
    const timer = window.setTimeout(() => updateFilters({ q: searchText.trim() }), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [searchText, filters.q, updateFilters]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadKey is a deliberate refetch trigger.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setLoadError(null);
    listPeople(
      {
        q: filters.q || undefined,
        role: filters.role || undefined,
        state: filters.state || undefined,
        limit: PAGE_SIZE,
        offset: (filters.page - 1) * PAGE_SIZE,
      },
      controller.signal,
    ).then(
      (page) => {
        setData(page);
        setLoading(false);
      },
      (error: unknown) => {
        if (isAbortError(error)) return;
        setLoadError(toFormError(error).message);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [filters, reloadKey]);

  function handleSearchSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    updateFilters({ q: searchText.trim() });
  }

  function requestAction(person: AdminPerson, action: PersonAction) {
    if (action === 'disable') {
      setConfirmDisable(person);
      return;
    }
    if (action === 'promote') {
      setConfirmPromote({ person, proceed: () => void performAction(person, 'promote') });
      return;
    }
    void performAction(person, action);
  }

  function replacePerson(updated: AdminPerson) {
    setData((current) =>
      current ? { ...current, people: current.people.map((p) => (p.id === updated.id ? updated : p)) } : current,
    );
    if (updated.id === me.id) setPerson(updated);
  }

  function requestSave(person: AdminPerson, changes: EditPersonInput) {
    if (changes.role === 'admin') {
      setConfirmPromote({ person, proceed: () => void save(person, changes) });
      return;
    }
    void save(person, changes);
  }

  async function save(person: AdminPerson, changes: EditPersonInput) {
    if (Object.keys(changes).length === 0) {
      setEditing(null);
      return;
    }
    setSaving(true);
    setEditError(null);
    setOutcome(null);
    try {
      const updated = await editPerson(person.id, changes);
      replacePerson(updated);
      setEditing(null);
      setOutcome(`Saved the changes to ${displayName(updated)}.`);
    } catch (error) {
      setEditError(toFormError(error));
    } finally {
      setSaving(false);
    }
  }

  async function performAction(person: AdminPerson, action: PersonAction) {
    setPending({ personId: person.id, action });
    setActionError(null);
    setOutcome(null);
    try {
      const updated = await applyPersonAction(person.id, action);
      replacePerson(updated);
      setOutcome(describeOutcome(action, updated));
    } catch (error) {
      setActionError(
        `Couldn’t ${ACTION_LABELS[action].toLowerCase()} ${displayName(person)}: ${toFormError(error).message}`,
      );
    } finally {
      setPending(null);
    }
  }

  const total = data?.total ?? 0;
  const people = data?.people ?? [];
  const firstShown = (filters.page - 1) * PAGE_SIZE + 1;
  const lastShown = (filters.page - 1) * PAGE_SIZE + people.length;
  const filtered = filters.q !== '' || filters.role !== '' || filters.state !== '';

  return (
    <section className="card" aria-labelledby="people-title">
      <div className="card-header">
        <h2 id="people-title" className="card-title">
          People
        </h2>
        {data ? (
          <output className="card-meta">
            {total === 0
              ? 'No people found'
              : people.length === 0
                ? `${total} ${total === 1 ? 'person' : 'people'}`
                : `Showing ${firstShown}–${lastShown} of ${total} ${total === 1 ? 'person' : 'people'}`}
          </output>
        ) : null}
      </div>

      <search aria-label="Filter people">
        <form className="filters" onSubmit={handleSearchSubmit}>
          <Field label="Search" name="q">
            {(control) => (
              <input
                {...control}
                type="search"
                className="input"
                placeholder="Name, email or username"
                autoComplete="off"
                value={searchText}
                onChange={(e) => setSearchText(e.target.value)}
              />
            )}
          </Field>
          <FilterSelect
            label="Role"
            name="role"
            value={filters.role}
            allLabel="All roles"
            options={[
              ['admin', 'Admins'],
              ['member', 'Members'],
            ]}
            onChange={(value) => updateFilters({ role: value as Role | '' })}
          />
          <FilterSelect
            label="State"
            name="state"
            value={filters.state}
            allLabel="All states"
            options={[
              ['enabled', 'Enabled'],
              ['disabled', 'Disabled'],
            ]}
            onChange={(value) => updateFilters({ state: value as PersonState | '' })}
          />
        </form>
      </search>

      {actionError ? <ErrorAlert>{actionError}</ErrorAlert> : null}
      <StatusMessage>{outcome}</StatusMessage>

      {loadError ? (
        <ErrorAlert
          action={
            <Button size="sm" onClick={() => setReloadKey((n) => n + 1)}>
              Try again
            </Button>
          }
        >
          Couldn’t load people: {loadError}
        </ErrorAlert>
      ) : null}

      {!data && loading ? <Loading label="Loading people…" /> : null}

      {data && people.length > 0 ? (
        <div className={loading ? 'table-wrap is-loading' : 'table-wrap'} aria-busy={loading || undefined}>
          <PeopleTable
            people={people}
            currentPersonId={me.id}
            pending={pending}
            onAction={requestAction}
            onEdit={(person) => {
              setEditError(null);
              setEditing(person);
            }}
            onData={setDataOf}
          />
        </div>
      ) : null}

      {data && !(loading && people.length === 0) ? (
        <Pagination
          page={filters.page}
          shown={people.length}
          pageSize={PAGE_SIZE}
          total={total}
          empty={
            <div className="empty-inline">
              <p>{filtered ? 'No people match these filters.' : 'Nobody has joined yet.'}</p>
              {filtered ? (
                <Button
                  size="sm"
                  onClick={() => {
                    setSearchText('');
                    updateFilters({ q: '', role: '', state: '' });
                  }}
                >
                  Clear filters
                </Button>
              ) : null}
            </div>
          }
        />
      ) : null}

      <EditPersonDialog
        person={editing}
        isSelf={editing?.id === me.id}
        busy={saving}
        error={editError}
        onSave={requestSave}
        onCancel={() => setEditing(null)}
      />

      <PersonDataDialog
        person={dataOf}
        onClose={() => setDataOf(null)}
        onDeleted={(message) => {
          setDataOf(null);
          setOutcome(message);
          setReloadKey((key) => key + 1);
        }}
      />

      <ConfirmDialog
        open={confirmPromote !== null}
        title={confirmPromote ? `Make ${displayName(confirmPromote.person)} an admin?` : 'Make admin?'}
        confirmLabel="Make admin"
        onCancel={() => setConfirmPromote(null)}
        onConfirm={() => {
          const pendingPromotion = confirmPromote;
          setConfirmPromote(null);
          pendingPromotion?.proceed();
        }}
      >
        <p>
          Admins can change every setting, edit and disable anyone, and see every e-mail address. You can demote them
          again later.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmDisable !== null}
        title={confirmDisable ? `Disable ${displayName(confirmDisable)}?` : 'Disable person?'}
        confirmLabel="Disable account"
        danger
        onCancel={() => setConfirmDisable(null)}
        onConfirm={() => {
          const person = confirmDisable;
          setConfirmDisable(null);
          if (person) void performAction(person, 'disable');
        }}
      >
        <p>
          {confirmDisable?.id === me.id
            ? 'This is your own account. You won’t be able to sign in again until another admin enables it.'
            : 'They won’t be able to sign in until an admin enables their account again.'}
        </p>
      </ConfirmDialog>
    </section>
  );
}
