import { Link, useParams } from 'react-router-dom';
import { getAssisting, getGroup, listMatches, type MixerMatch } from '../api/mixers';
import { useCurrentPerson } from '../auth/authContext';
import { Notice } from '../ui/Alert';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { GroupFacts, SELF, StatusBadge, type Subject } from './GroupFacts';
import { MatchesSection } from './MatchesSection';
import { MembershipControls } from './MembershipControls';
import { useManagedPersonId, withManaged } from './subject';

/** One group, as a member sees it: what it is, when it meets, and one's standing and actions. */
export function GroupPage() {
  const { id = '' } = useParams();
  const me = useCurrentPerson();
  const [personId] = useManagedPersonId();
  const subjectKey = personId ?? 'me';
  const group = useLoad(`group:${id}:${subjectKey}`, (signal) => getGroup(id, personId, signal));
  const matches = useLoad(`matches:${subjectKey}`, (signal) => listMatches(personId, signal));
  const assisting = useLoad(`assisting:${personId ? 'yes' : 'no'}`, (signal) =>
    personId ? getAssisting(signal) : Promise.resolve(null),
  );
  useDocumentTitle(group.data?.name ?? 'Mixer group');

  const managed = personId ? assisting.data?.people.find((p) => p.id === personId) : undefined;
  const subject: Subject = personId ? { self: false, name: managed?.name || managed?.username || 'this person' } : SELF;
  const groupMatches = {
    ...matches,
    data: matches.data?.filter((m: MixerMatch) => m.groupId === id),
  };

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={withManaged('/mixers', personId)}>Mixers</Link>
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
                <StatusBadge group={group.data} />
              </div>
              {group.data.description ? <p className="page-lede">{group.data.description}</p> : null}
            </div>
            {me.role === 'admin' ? (
              <Link className="btn btn-secondary" to={`/admin/mixers/${group.data.id}`}>
                Manage group
              </Link>
            ) : null}
          </header>
          {personId ? <Notice>You’re managing {subject.name}’s membership as their assistant.</Notice> : null}
          <div className="stack">
            <section className="card" aria-labelledby="standing-title">
              <h2 id="standing-title" className="card-title">
                {subject.self ? 'Your membership' : `${subject.name}’s membership`}
              </h2>
              <GroupFacts group={group.data} timeZone={me.timezone} extra />
              <MembershipControls
                group={group.data}
                subject={subject}
                personId={personId}
                viewerIsAdmin={me.role === 'admin'}
                timeZone={me.timezone}
                onChange={(updated) => group.setData(() => updated)}
              />
            </section>
            <MatchesSection
              matches={groupMatches}
              subject={subject}
              timeZone={me.timezone}
              personId={personId}
              groupName={group.data.name}
            />
          </div>
        </>
      ) : null}
    </>
  );
}
