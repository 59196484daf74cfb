import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { createGroup, type GroupInput, listGroups, type MixerGroup, updateGroup } from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { TableHead } from '../ui/TableHead';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { cadenceInWords } from './format';
import { membershipInWords, NextRound } from './GroupFacts';
import { GroupForm } from './GroupForm';

/** Admin: every mixer group, creating one, archiving and restoring. */
export function AdminGroupsPage() {
  useDocumentTitle('Mixer groups');
  const me = useCurrentPerson();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const showArchived = params.get('archived') === 'true';
  const groups = useLoad(`admin-groups:${showArchived}`, (signal) => listGroups({ archived: showArchived }, signal));
  const [creating, setCreating] = useState(params.get('new') === '1');
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [confirmArchive, setConfirmArchive] = useState<MixerGroup | null>(null);

  const list = groups.data ?? [];
  const noGroups = groups.data !== undefined && list.length === 0 && !showArchived;
  const formOpen = creating || noGroups;

  async function setArchived(group: MixerGroup, archived: boolean) {
    setPendingId(group.id);
    setActionError(null);
    setOutcome(null);
    try {
      const updated = await updateGroup(group.id, { archived }, group);
      groups.setData((current) =>
        showArchived || !archived
          ? current?.map((g) => (g.id === updated.id ? updated : g))
          : current?.filter((g) => g.id !== updated.id),
      );
      setOutcome(archived ? `Archived “${group.name}”.` : `Restored “${group.name}”.`);
    } catch (error) {
      setActionError(`Couldn’t ${archived ? 'archive' : 'restore'} “${group.name}”: ${toFormError(error).message}`);
    } finally {
      setPendingId(null);
    }
  }

  return (
    <>
      <header className="page-header page-header-actions">
        <div>
          <h1>Mixer groups</h1>
          <p className="page-lede">
            Create groups, decide who takes part and when they meet, and follow how rounds go.
          </p>
        </div>
        <div className="header-actions">
          <Link className="btn btn-ghost" to="/mixers">
            Member view
          </Link>
          {!formOpen ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New group
            </Button>
          ) : null}
        </div>
      </header>

      <div className="stack">
        {formOpen ? (
          <section className="card">
            <GroupForm
              title="Create a group"
              titleId="create-group-title"
              submitLabel="Create group"
              defaultTimeZone={me.timezone}
              onCancel={noGroups ? undefined : () => setCreating(false)}
              onSubmit={async (input) => {
                const group = await createGroup(input as GroupInput);
                navigate(`/admin/mixers/${group.id}`, { state: { created: group.name } });
              }}
            />
          </section>
        ) : null}

        <section className="card" aria-labelledby="groups-title">
          <div className="card-header">
            <h2 id="groups-title" className="card-title">
              Groups
            </h2>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(e) =>
                  setParams(
                    (current) => {
                      const next = new URLSearchParams(current);
                      if (e.target.checked) next.set('archived', 'true');
                      else next.delete('archived');
                      return next;
                    },
                    { replace: true },
                  )
                }
              />
              Show archived groups
            </label>
          </div>
          {actionError ? <ErrorAlert>{actionError}</ErrorAlert> : null}
          <StatusMessage>{outcome}</StatusMessage>
          {groups.error ? <LoadError what="groups" message={groups.error} onRetry={groups.reload} /> : null}
          {!groups.data && groups.loading ? <Loading label="Loading groups…" /> : null}
          {groups.data && list.length === 0 ? (
            <div className="empty-inline">
              <p>{showArchived ? 'No groups, archived or not.' : 'No groups yet — create the first one above.'}</p>
            </div>
          ) : null}
          {list.length > 0 ? (
            <div className="table-wrap">
              <table className="table admin-groups-table">
                <caption className="visually-hidden">Mixer groups</caption>
                <TableHead columns={['Group', 'Members', 'Schedule', 'Next round', 'Joining']} />
                <tbody>
                  {list.map((group) => (
                    <tr key={group.id} className={group.archived ? 'is-archived' : undefined}>
                      <th scope="row" className="cell-group" data-label="Group">
                        <span className="cell-group-name">
                          <Link to={`/admin/mixers/${group.id}`}>{group.name}</Link>
                          {group.archived ? <span className="badge badge-off">Archived</span> : null}
                        </span>
                        <span className="cell-sub">{group.eligibility}</span>
                      </th>
                      <td data-label="Members">{plural(group.memberCount, 'member')}</td>
                      <td data-label="Schedule">{cadenceInWords(group)}</td>
                      <td data-label="Next round">
                        <NextRound group={group} timeZone={me.timezone} />
                      </td>
                      <td data-label="Joining">{membershipInWords(group)}</td>
                      <td data-label="Actions" className="cell-actions">
                        <div className="row-actions">
                          <Link className="btn btn-secondary btn-sm" to={`/admin/mixers/${group.id}`}>
                            Manage<span className="visually-hidden"> {group.name}</span>
                          </Link>
                          {group.archived ? (
                            <Button
                              size="sm"
                              busy={pendingId === group.id}
                              disabled={pendingId !== null}
                              aria-label={`Restore ${group.name}`}
                              onClick={() => void setArchived(group, false)}
                            >
                              Restore
                            </Button>
                          ) : (
                            <Button
                              size="sm"
                              variant="danger"
                              busy={pendingId === group.id}
                              disabled={pendingId !== null}
                              aria-label={`Archive ${group.name}`}
                              onClick={() => setConfirmArchive(group)}
                            >
                              Archive
                            </Button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      </div>

      <ArchiveDialog
        group={confirmArchive}
        onCancel={() => setConfirmArchive(null)}
        onConfirm={(group) => {
          setConfirmArchive(null);
          void setArchived(group, true);
        }}
      />
    </>
  );
}

export function ArchiveDialog({
  group,
  onCancel,
  onConfirm,
}: {
  group: MixerGroup | null;
  onCancel: () => void;
  onConfirm: (group: MixerGroup) => void;
}) {
  return (
    <ConfirmDialog
      open={group !== null}
      title={group ? `Archive ${group.name}?` : 'Archive group?'}
      confirmLabel="Archive group"
      danger
      onCancel={onCancel}
      onConfirm={() => {
        if (group) onConfirm(group);
      }}
    >
      <p>
        No more rounds will run and members can’t join. Its members, rounds and stats are kept, and you can restore it
        later.
      </p>
    </ConfirmDialog>
  );
}
