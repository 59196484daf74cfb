import { useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import {
  createProposal,
  getProposal,
  getProposalList,
  getPublicProposalList,
  getTalksEvent,
  type ProposalDetail,
  type ProposalList,
  setVote,
  updateProposal,
  withdrawProposal,
} from '../api/talks';
import { useAuth } from '../auth/authContext';
import { ErrorAlert, Notice } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { atMinute } from '../ui/dates';
import { toFormError } from '../ui/formError';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { Loading } from '../ui/Spinner';
import { StatusMessage } from '../ui/StatusMessage';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';
import { PHASE_BADGES, PHASE_LABELS } from './format';
import { shuffleForVisitor } from './order';
import { ProposalCard } from './ProposalCard';
import { ProposalForm } from './ProposalForm';

function phaseNote(list: ProposalList, timeZone: string): string {
  const { event } = list;
  if (event.phase === 'proposals') {
    return event.votingOpensAt
      ? `Proposals are open. Voting opens ${atMinute(event.votingOpensAt, timeZone)}.`
      : 'Proposals are open. Voting opens when the organisers say so.';
  }
  if (event.phase === 'voting') {
    const closes = event.votingClosesAt ? ` until ${atMinute(event.votingClosesAt, timeZone)}` : '';
    return `Voting is open${closes}. Talks are shown in an order shuffled for you, so every talk gets a fair place.`;
  }
  // Ties share a rank; when one straddles the cut-off, say how it was settled, or it looks arbitrary.
  const tied = list.proposals.some((p) => !p.selected && list.proposals.some((q) => q.selected && q.rank === p.rank));
  const tie = tied ? ' Some talks tied at the cut-off: among equal votes, the earlier proposal was selected.' : '';
  return `Voting has closed. The ${plural(event.topN, 'talk')} with the most votes ${event.topN === 1 ? 'is' : 'are'} selected.${tie}`;
}

export function EventPage() {
  const { eventId = '' } = useParams();
  const { person } = useAuth();
  // Signed out, the browser's zone (named in every time shown).
  const timeZone = useTimeZone();
  const location = useLocation();
  const viewerKey = person?.id ?? 'visitor';
  const list = useLoad(`list:${eventId}:${viewerKey}`, (signal) =>
    person ? getProposalList(eventId, signal) : getPublicProposalList(eventId, signal),
  );
  const detail = useLoad(`detail:${eventId}:${viewerKey}`, (signal) =>
    person ? getTalksEvent(eventId, signal) : Promise.resolve(null),
  );
  const [voting, setVoting] = useState<Record<string, boolean>>({});
  const [voteErrors, setVoteErrors] = useState<Record<string, string>>({});
  const [proposing, setProposing] = useState(false);
  const [editing, setEditing] = useState<ProposalDetail | null>(null);
  const [withdrawing, setWithdrawing] = useState<{ id: string; title: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useDocumentTitle(list.data?.event.name ?? 'Talks');

  const proposals = useMemo(() => {
    if (!list.data) return [];
    // Signed out, everyone gets the same cached list: shuffle it per browser while voting.
    return list.data.viewer === null && list.data.event.phase === 'voting'
      ? shuffleForVisitor(list.data.proposals)
      : list.data.proposals;
  }, [list.data]);

  if (list.error) return <LoadError what="this event" message={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading label="Loading the talks…" />;
  const { event, viewer } = list.data;
  const reloadAll = () => {
    list.reload();
    detail.reload();
  };

  async function vote(proposalId: string, voted: boolean) {
    if (voting[proposalId]) return;
    setVoting((v) => ({ ...v, [proposalId]: true }));
    setVoteErrors((e) => ({ ...e, [proposalId]: '' }));
    try {
      const result = await setVote(proposalId, voted);
      list.setData((current) => {
        if (!current?.viewer) return current;
        const before = current.proposals.find((p) => p.id === proposalId)?.myVote === true;
        const used =
          result.votesUsed ?? current.viewer.votesUsed + (result.voted === before ? 0 : result.voted ? 1 : -1);
        return {
          ...current,
          proposals: current.proposals.map((p) => (p.id === proposalId ? { ...p, myVote: result.voted } : p)),
          viewer: { ...current.viewer, votesUsed: used },
        };
      });
      setStatus(result.voted ? 'Vote saved.' : 'Vote taken back.');
      // A change went through: earlier refusals (the limit, most often) may no longer hold.
      setVoteErrors({});
    } catch (caught) {
      setVoteErrors((e) => ({ ...e, [proposalId]: toFormError(caught).message }));
    } finally {
      setVoting((v) => ({ ...v, [proposalId]: false }));
    }
  }

  const myProposals = detail.data?.myProposals ?? [];
  const here = `${location.pathname}${location.search}`;

  return (
    <>
      <header className="page-header">
        <p className="talks-breadcrumb">
          <Link to="/talks">Talks</Link>
        </p>
        <div className="talks-event-head">
          <h1>{event.name}</h1>
          <span className={PHASE_BADGES[event.phase]}>{PHASE_LABELS[event.phase]}</span>
        </div>
        {event.descriptionHtml ? (
          // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/features/talks/markdown.ts).
          <div className="talk-description page-lede" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />
        ) : null}
        <p className="talks-phase-note">{phaseNote(list.data, timeZone)}</p>
        {event.talksAt || event.venue ? (
          <p className="talks-when-where">
            Talks: {[event.talksAt ? atMinute(event.talksAt, timeZone) : null, event.venue].filter(Boolean).join(' · ')}
          </p>
        ) : null}
        {viewer?.isAdmin ? (
          <p>
            <Link className="btn btn-secondary btn-sm" to={`/talks/${event.id}/manage`}>
              Manage
            </Link>
          </p>
        ) : null}
      </header>

      <div className="stack">
        {!viewer && event.phase !== 'closed' ? (
          <Notice>
            <span>
              <Link to={`/signin?next=${encodeURIComponent(here)}`}>Sign in</Link> to{' '}
              {event.phase === 'voting'
                ? event.acceptingProposals
                  ? 'vote and propose a talk'
                  : 'vote'
                : 'propose a talk'}
              .
            </span>
          </Notice>
        ) : null}

        {viewer && event.phase === 'voting' ? (
          <p className="talks-votes-used" aria-live="polite">
            {viewer.voteLimit !== null
              ? `You have used ${viewer.votesUsed} of your ${plural(viewer.voteLimit, 'vote')}.`
              : `You have voted for ${plural(viewer.votesUsed, 'talk')}.`}
          </p>
        ) : null}

        {viewer?.canPropose ? (
          <section className="card" aria-labelledby="propose-title">
            <div className="card-header">
              <h2 id="propose-title" className="card-title">
                Propose a talk
              </h2>
              {!proposing ? (
                <Button variant="primary" onClick={() => setProposing(true)}>
                  Propose a talk
                </Button>
              ) : null}
            </div>
            {proposing ? (
              <ProposalForm
                submitLabel="Submit proposal"
                allowSpeaker={viewer.isAdmin}
                onCancel={() => setProposing(false)}
                onSubmit={async (input) => {
                  const created = await createProposal(event.id, input);
                  setProposing(false);
                  setStatus(`“${created.title}” was proposed.`);
                  reloadAll();
                }}
              />
            ) : (
              <p className="card-meta">
                Five minutes, any topic you care about. You can edit it while proposals are open.
              </p>
            )}
          </section>
        ) : null}

        <StatusMessage>{status}</StatusMessage>

        {myProposals.length ? (
          <section className="card" aria-labelledby="mine-title">
            <h2 id="mine-title" className="card-title">
              Your proposals
            </h2>
            <ul className="talks-mine">
              {myProposals.map((mine) => (
                <li key={mine.id}>
                  <div className="talks-mine-row">
                    <span className="talks-mine-title">{mine.title}</span>
                    {mine.hidden ? <span className="badge badge-off">Hidden</span> : null}
                    {mine.canEdit ? (
                      <span className="row-actions">
                        <Button
                          size="sm"
                          onClick={async () => {
                            try {
                              setEditing(await getProposal(mine.id));
                            } catch (caught) {
                              setStatus(null);
                              setVoteErrors((e) => ({ ...e, [mine.id]: toFormError(caught).message }));
                            }
                          }}
                        >
                          Edit
                        </Button>
                        <Button size="sm" variant="ghost" onClick={() => setWithdrawing(mine)}>
                          Withdraw
                        </Button>
                      </span>
                    ) : null}
                  </div>
                  {voteErrors[mine.id] ? <ErrorAlert>{voteErrors[mine.id]}</ErrorAlert> : null}
                  {mine.hidden && mine.hiddenReason ? (
                    <p className="talks-hidden-reason">The organisers hid this proposal: {mine.hiddenReason}</p>
                  ) : null}
                  {editing?.id === mine.id ? (
                    <div className="talks-edit">
                      <ProposalForm
                        initial={{ title: editing.title, description: editing.description }}
                        submitLabel="Save changes"
                        onCancel={() => setEditing(null)}
                        onSubmit={async (input) => {
                          await updateProposal(mine.id, input);
                          setEditing(null);
                          setStatus('Your proposal was saved.');
                          reloadAll();
                        }}
                      />
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section aria-labelledby="proposals-title">
          <h2 id="proposals-title" className="talks-section-title">
            {event.phase === 'closed' ? 'Results' : 'Proposals'} <span className="muted">({proposals.length})</span>
          </h2>
          {proposals.length === 0 ? (
            <div className="empty-state">
              <h3>No proposals yet</h3>
              <p>{event.acceptingProposals ? 'Be the first to propose a talk.' : 'Nothing was proposed.'}</p>
            </div>
          ) : (
            <ol className="talks-list">
              {proposals.map((proposal) => (
                <li key={proposal.id}>
                  <ProposalCard
                    proposal={proposal}
                    phase={event.phase}
                    canVote={viewer?.canVote === true}
                    selfVoteAllowed={event.allowSelfVote}
                    busy={voting[proposal.id] === true}
                    error={voteErrors[proposal.id] || null}
                    onVote={(voted) => void vote(proposal.id, voted)}
                  />
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>

      <ConfirmDialog
        open={withdrawing !== null}
        title="Withdraw this proposal?"
        confirmLabel="Withdraw"
        danger
        onCancel={() => setWithdrawing(null)}
        onConfirm={async () => {
          if (!withdrawing) return;
          const { id, title } = withdrawing;
          setWithdrawing(null);
          try {
            await withdrawProposal(id);
            setStatus(`“${title}” was withdrawn.`);
            reloadAll();
          } catch (caught) {
            setVoteErrors((e) => ({ ...e, [id]: toFormError(caught).message }));
          }
        }}
      >
        <p>“{withdrawing?.title}” will be removed, with any votes it has. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
