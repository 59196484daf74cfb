import { useId } from 'react';
import type { ListedProposal, TalksPhase } from '../api/talks';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { SpeakerLine } from './SpeakerLine';

interface ProposalCardProps {
  proposal: ListedProposal;
  phase: TalksPhase;
  /** Signed in and voting is open. */
  canVote: boolean;
  /** The event lets speakers vote for their own proposals. */
  selfVoteAllowed: boolean;
  busy: boolean;
  error: string | null;
  onVote: (voted: boolean) => void;
}

export function ProposalCard({ proposal, phase, canVote, selfVoteAllowed, busy, error, onVote }: ProposalCardProps) {
  const titleId = useId();
  const voted = proposal.myVote === true;
  const classes = ['card', 'talk-card', voted ? 'is-voted' : '', proposal.selected ? 'is-selected' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <article className={classes} aria-labelledby={titleId}>
      <div className="talk-card-head">
        {phase === 'closed' && proposal.rank !== null ? (
          <span className="talk-rank" title={`Rank ${proposal.rank}`}>
            <span className="visually-hidden">Rank </span>
            {proposal.rank}
          </span>
        ) : null}
        <h3 id={titleId} className="talk-title">
          {proposal.title}
        </h3>
        <span className="badges">
          {proposal.selected ? <span className="badge badge-ok">Selected</span> : null}
          {proposal.mine ? <span className="badge badge-self">Your talk</span> : null}
          {voted && phase !== 'voting' ? <span className="badge badge-admin">You voted</span> : null}
        </span>
      </div>
      <SpeakerLine speaker={proposal.speaker} />
      {proposal.descriptionHtml ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered from Markdown and sanitised by the server (src/features/talks/markdown.ts).
        <div className="talk-description" dangerouslySetInnerHTML={{ __html: proposal.descriptionHtml }} />
      ) : null}
      {phase === 'closed' && proposal.votes !== null ? (
        <p className="talk-votes">
          <strong>{proposal.votes}</strong> {proposal.votes === 1 ? 'vote' : 'votes'}
        </p>
      ) : null}
      {canVote && proposal.mine && !selfVoteAllowed && !voted ? (
        <p className="talk-vote-note">Speakers do not vote for their own talk in this event.</p>
      ) : canVote ? (
        <div className="talk-vote">
          <Button
            variant={voted ? 'primary' : 'secondary'}
            aria-pressed={voted}
            busy={busy}
            onClick={() => onVote(!voted)}
            aria-describedby={titleId}
          >
            {voted ? '✓ Voted' : 'Vote'}
          </Button>
          {voted ? <span className="talk-vote-note">Your vote · press again to take it back</span> : null}
        </div>
      ) : null}
      {error ? <ErrorAlert>{error}</ErrorAlert> : null}
    </article>
  );
}
