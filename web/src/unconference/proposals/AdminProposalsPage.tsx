import { Link, useParams } from 'react-router-dom';
import { getUnconferenceEvent, getUnconferenceProposals, type ProposalDetail } from '../../api/unconference';
import { Notice } from '../../ui/Alert';
import { LoadError } from '../../ui/LoadError';
import { plural } from '../../ui/plural';
import { Loading } from '../../ui/Spinner';
import { useDocumentTitle } from '../../ui/useDocumentTitle';
import { useLoad } from '../../ui/useLoad';
import { AdminProposalCard } from './AdminProposalCard';
import '../manage.css';

/** Waiting ones first (they need the admin), then by title. */
const rank = (p: ProposalDetail) => (p.status === 'pending' || p.editPending ? 0 : p.status === 'approved' ? 1 : 2);
const byUrgency = (a: ProposalDetail, b: ProposalDetail) => rank(a) - rank(b) || a.title.localeCompare(b.title);

/** Admin: every proposal of one unconference, to moderate, edit, withdraw and give available slots. */
export function AdminProposalsPage() {
  const { eventId = '' } = useParams();
  const detail = useLoad(`unconf-admin-detail:${eventId}`, (signal) => getUnconferenceEvent(eventId, signal));
  const list = useLoad(`unconf-admin-proposals:${eventId}`, (signal) => getUnconferenceProposals(eventId, signal));
  useDocumentTitle(detail.data ? `Proposals · ${detail.data.event.name}` : 'Proposals');
  if (detail.error) return <LoadError what="the event" message={detail.error} onRetry={detail.reload} />;
  if (list.error) return <LoadError what="the proposals" message={list.error} onRetry={list.reload} />;
  if (!detail.data || !list.data) return <Loading label="Loading the proposals…" />;
  const { event, timetable } = detail.data;
  const proposals = [...list.data.proposals].sort(byUrgency);
  const waiting = proposals.filter((p) => rank(p) === 0).length;
  return (
    <div className="stack">
      <header className="page-header">
        <p className="card-meta">
          <Link to="/admin/unconference">Unconference</Link> ·{' '}
          <Link to={`/admin/unconference/${event.id}`}>{event.name}</Link>
        </p>
        <h1>Proposals</h1>
        <p className="card-meta">
          {plural(proposals.length, 'proposal')}
          {waiting ? ` · ${waiting} waiting for approval` : ''}
        </p>
      </header>
      {!proposals.length ? <Notice>No proposals yet.</Notice> : null}
      {proposals.map((proposal) => (
        <AdminProposalCard key={proposal.id} proposal={proposal} timetable={timetable} onChanged={list.reload} />
      ))}
    </div>
  );
}
