import { Link } from 'react-router-dom';
import { getAssisting, listGroups, listMatches, type MixerGroup } from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { AssistantCard } from './AssistantCard';
import { GroupFacts, isMember, SELF, StatusBadge, type Subject } from './GroupFacts';
import { ManagingSwitcher } from './ManagingSwitcher';
import { MatchesSection } from './MatchesSection';
import { MembershipControls } from './MembershipControls';
import { useManagedPersonId, withManaged } from './subject';

export function MixersPage() {
  useDocumentTitle('Mixers');
  const me = useCurrentPerson();
  const [personId, setPersonId] = useManagedPersonId();
  const subjectKey = personId ?? 'me';
  const assisting = useLoad('assisting', getAssisting);
  const groups = useLoad(`groups:${subjectKey}`, (signal) => listGroups({ personId }, signal));
  const matches = useLoad(`matches:${subjectKey}`, (signal) => listMatches(personId, signal));

  const managed = personId ? assisting.data?.people.find((p) => p.id === personId) : undefined;
  const subject: Subject = personId ? { self: false, name: managed?.name || managed?.username || 'this person' } : SELF;
  const people = assisting.data?.people ?? [];

  const replaceGroup = (updated: MixerGroup) =>
    groups.setData((list) => list?.map((g) => (g.id === updated.id ? updated : g)));

  const list = groups.data ?? [];

  return (
    <>
      <header className="page-header page-header-actions">
        <div>
          <h1>Mixers</h1>
          <p className="page-lede">
            Opt into a group and get paired with a colleague each round — someone new every time, while there’s someone
            new to meet. Times are shown in your timezone ({me.timezone}).
          </p>
        </div>
        {me.role === 'admin' ? (
          <Link className="btn btn-secondary" to="/admin/mixers">
            Manage groups
          </Link>
        ) : null}
      </header>

      {people.length > 0 || personId ? (
        <ManagingSwitcher people={people} personId={personId} onChange={setPersonId} />
      ) : null}
      {personId ? (
        <Notice>
          You’re managing {subject.name}’s mixers as their assistant. Changes you make here apply to {subject.name}.
        </Notice>
      ) : null}

      <div className="stack">
        <section aria-labelledby="groups-title">
          <h2 id="groups-title" className="section-title">
            {subject.self ? 'Groups' : `${subject.name}’s groups`}
          </h2>
          {groups.error ? <LoadError what="groups" message={groups.error} onRetry={groups.reload} /> : null}
          {!groups.data && groups.loading ? <Loading label="Loading groups…" /> : null}
          {groups.data && list.length === 0 ? (
            <div className="empty-inline card">
              <p>
                No groups yet —{' '}
                {me.role === 'admin' ? (
                  <>
                    <Link to="/admin/mixers">create the first one</Link>.
                  </>
                ) : (
                  'an admin can create one. Once they do, you can join it here.'
                )}
              </p>
            </div>
          ) : null}
          {list.length > 0 ? (
            <ul className="mixer-grid" aria-busy={groups.loading || undefined}>
              {list.map((group) => (
                <li key={group.id}>
                  <GroupCard
                    group={group}
                    subject={subject}
                    personId={personId}
                    viewerIsAdmin={me.role === 'admin'}
                    timeZone={me.timezone}
                    onChange={replaceGroup}
                  />
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <MatchesSection matches={matches} subject={subject} timeZone={me.timezone} personId={personId} />

        {personId ? null : <AssistantCard assisting={assisting} />}
      </div>
    </>
  );
}

function GroupCard({
  group,
  subject,
  personId,
  viewerIsAdmin,
  timeZone,
  onChange,
}: {
  group: MixerGroup;
  subject: Subject;
  personId: string | undefined;
  viewerIsAdmin: boolean;
  timeZone: string;
  onChange: (group: MixerGroup) => void;
}) {
  const member = isMember(group);
  return (
    <article className={member ? 'mixer-card is-member' : 'mixer-card'} aria-labelledby={`group-${group.id}`}>
      <header className="mixer-card-head">
        <h3 id={`group-${group.id}`} className="mixer-card-title">
          <Link to={withManaged(`/mixers/groups/${group.id}`, personId)}>{group.name}</Link>
        </h3>
        <StatusBadge group={group} />
      </header>
      {group.description ? <p className="mixer-description">{group.description}</p> : null}
      <GroupFacts group={group} timeZone={timeZone} />
      <MembershipControls
        group={group}
        subject={subject}
        personId={personId}
        viewerIsAdmin={viewerIsAdmin}
        timeZone={timeZone}
        onChange={onChange}
      />
    </article>
  );
}
