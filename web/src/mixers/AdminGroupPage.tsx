import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import {
  type GroupChanges,
  getGroup,
  getReach,
  getStats,
  listMembers,
  listRounds,
  type MixerGroup,
  updateGroup,
} from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { ArchiveDialog } from './AdminGroupsPage';
import { GroupFacts } from './GroupFacts';
import { GroupForm } from './GroupForm';
import { ReachCard } from './LatestRoundActions';
import { MembersPanel } from './MembersPanel';
import { RoundsPanel } from './RoundsPanel';
import { RunRoundPanel } from './RunRoundPanel';
import { StatsPanel } from './StatsPanel';

/** Admin: one group — overview, stats, running a round, members, history and settings. */
export function AdminGroupPage() {
  const { id = '' } = useParams();
  const me = useCurrentPerson();
  const location = useLocation();
  const created = (location.state as { created?: string } | null)?.created;
  const group = useLoad(`admin-group:${id}`, (signal) => getGroup(id, undefined, signal));
  const members = useLoad(`members:${id}`, (signal) => listMembers(id, signal));
  const rounds = useLoad(`rounds:${id}`, (signal) => listRounds(id, signal));
  const stats = useLoad(`stats:${id}`, (signal) => getStats(id, signal));
  const reach = useLoad(`reach:${id}`, (signal) => getReach(id, signal));
  useDocumentTitle(group.data ? `${group.data.name} · Mixer groups` : 'Mixer group');

  const refreshAll = () => {
    group.reload();
    members.reload();
    rounds.reload();
    stats.reload();
    reach.reload();
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/admin/mixers">Mixer groups</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{group.data?.name ?? 'Group'}</span>
      </nav>
      {group.error ? <LoadError what="this group" message={group.error} onRetry={group.reload} /> : null}
      {!group.data && group.loading ? <Loading label="Loading group…" /> : null}
      {group.data ? (
        <>
          <header className="page-header page-header-actions">
            <div>
              <div className="title-row">
                <h1>{group.data.name}</h1>
                {group.data.archived ? <span className="badge badge-off">Archived</span> : null}
              </div>
              {group.data.description ? <p className="page-lede">{group.data.description}</p> : null}
            </div>
            <Link className="btn btn-ghost" to={`/mixers/groups/${group.data.id}`}>
              Member view
            </Link>
          </header>
          {created ? (
            <StatusMessage className="page-status">
              Created “{created}”. Add people, or wait for them to join.
            </StatusMessage>
          ) : null}
          <div className="admin-group-layout">
            <div className="stack">
              <section className="card" aria-labelledby="overview-title">
                <h2 id="overview-title" className="card-title">
                  Overview
                </h2>
                <GroupFacts group={group.data} timeZone={me.timezone} extra />
              </section>
              <RunRoundPanel group={group.data} onRoundSaved={refreshAll} />
              <StatsPanel stats={stats} timeZone={me.timezone} />
              <RoundsPanel
                groupId={group.data.id}
                rounds={rounds}
                members={members.data ?? []}
                reach={reach.data ?? null}
                timeZone={me.timezone}
                onChanged={refreshAll}
              />
            </div>
            <div className="stack">
              {reach.data ? <ReachCard reach={reach.data} /> : null}
              <MembersPanel
                group={group.data}
                members={members}
                timeZone={me.timezone}
                onChanged={() => {
                  members.reload();
                  group.reload();
                  reach.reload();
                }}
              />
            </div>
          </div>
          <div className="stack">
            <SettingsCard group={group.data} onSaved={(updated) => group.setData(() => updated)} />
          </div>
        </>
      ) : null}
    </>
  );
}

function SettingsCard({ group, onSaved }: { group: MixerGroup; onSaved: (group: MixerGroup) => void }) {
  const me = useCurrentPerson();
  const [confirmArchive, setConfirmArchive] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  async function setArchived(archived: boolean) {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      onSaved(await updateGroup(group.id, { archived }, group));
      setOutcome(archived ? 'Archived: no more rounds will run.' : 'Restored: rounds run on the schedule again.');
    } catch (caught) {
      setError(`Couldn’t ${archived ? 'archive' : 'restore'} the group: ${toFormError(caught).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section className="card">
        <GroupForm
          key={group.id}
          title="Edit group"
          titleId="edit-group-title"
          initial={group}
          defaultTimeZone={me.timezone}
          submitLabel="Save changes"
          onSubmit={async (changes) => onSaved(await updateGroup(group.id, changes as GroupChanges, group))}
        />
      </section>
      <section className="card" aria-labelledby="archive-title">
        <h2 id="archive-title" className="card-title">
          {group.archived ? 'Restore group' : 'Archive group'}
        </h2>
        <p className="card-lede">
          {group.archived
            ? 'Rounds will run on the schedule again and people can join.'
            : 'Stops rounds and joining. Members, history and stats are kept.'}
        </p>
        {error ? <ErrorAlert>{error}</ErrorAlert> : null}
        <div className="form-actions">
          {group.archived ? (
            <Button busy={busy} onClick={() => void setArchived(false)}>
              Restore group
            </Button>
          ) : (
            <Button variant="danger" busy={busy} onClick={() => setConfirmArchive(true)}>
              Archive group
            </Button>
          )}
          <StatusMessage>{outcome}</StatusMessage>
        </div>
      </section>
      <ArchiveDialog
        group={confirmArchive ? group : null}
        onCancel={() => setConfirmArchive(false)}
        onConfirm={() => {
          setConfirmArchive(false);
          void setArchived(true);
        }}
      />
    </>
  );
}
