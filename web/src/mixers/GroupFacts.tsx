import type { MixerGroup } from '../api/mixers';
import { atMinute } from '../ui/dates';
import { plural } from '../ui/plural';
import { cadenceInWords, formatPauseDate, relativeTime } from './format';

/** Whose mixers are shown: the viewer's own, or someone's they assist. */
export interface Subject {
  self: boolean;
  /** "You" or the person's name. */
  name: string;
}

export const SELF: Subject = { self: true, name: 'You' };

const MEMBERSHIP_WORDS: Record<MixerGroup['membership'], string> = {
  open: 'Anyone eligible can join',
  admin: 'Admins add members',
  auto: 'Everyone eligible is included',
};

export function membershipInWords(group: Pick<MixerGroup, 'membership'>): string {
  return MEMBERSHIP_WORDS[group.membership];
}

export function sizeInWords(group: Pick<MixerGroup, 'size' | 'oddPolicy'>): string {
  const unit = group.size === 2 ? 'Pairs' : 'Groups of three';
  const odd = group.oddPolicy === 'trio' ? 'a trio when numbers are odd' : 'one person sits out when numbers are odd';
  return group.size === 2 ? `${unit}; ${odd}` : unit;
}

export function NextRound({
  group,
  timeZone,
}: {
  group: Pick<MixerGroup, 'nextRoundAt' | 'archived'>;
  timeZone: string;
}) {
  if (group.archived) return <span className="muted">None — the group is archived</span>;
  if (!group.nextRoundAt) return <span className="muted">Not scheduled</span>;
  // One element, so it stays one cell where its container is a grid.
  return (
    <span>
      <time dateTime={group.nextRoundAt}>{atMinute(group.nextRoundAt, timeZone)}</time>{' '}
      <span className="muted">({relativeTime(group.nextRoundAt)})</span>
    </span>
  );
}

/** Members, who can join, when it runs and the next round (in the viewer's timezone). */
export function GroupFacts({
  group,
  timeZone,
  extra = false,
}: {
  group: MixerGroup;
  timeZone: string;
  /** Also show how people join and the group size (admin and group pages). */
  extra?: boolean;
}) {
  return (
    <dl className="mixer-facts">
      <div>
        <dt>Members</dt>
        <dd>{plural(group.memberCount, 'member')}</dd>
      </div>
      <div>
        <dt>Who can join</dt>
        <dd>{group.eligibility}</dd>
      </div>
      <div>
        <dt>When</dt>
        <dd>{cadenceInWords(group)}</dd>
      </div>
      <div>
        <dt>Next round</dt>
        <dd>
          <NextRound group={group} timeZone={timeZone} />
        </dd>
      </div>
      {extra ? (
        <>
          <div>
            <dt>Joining</dt>
            <dd>{membershipInWords(group)}</dd>
          </div>
          <div>
            <dt>Meetings</dt>
            <dd>{sizeInWords(group)}</dd>
          </div>
        </>
      ) : null}
    </dl>
  );
}

/** One short badge for the subject's standing in a group. */
export function StatusBadge({ group }: { group: MixerGroup }) {
  if (group.archived) return <span className="badge badge-off">Archived</span>;
  if (group.status === 'paused')
    return (
      <span className="badge badge-warn">
        Paused{group.pausedUntil ? ` until ${formatPauseDate(group.pausedUntil)}` : ''}
      </span>
    );
  if (group.status === 'active' && group.skippingNext)
    return <span className="badge badge-warn">Skipping next round</span>;
  if (group.status === 'active') return <span className="badge badge-ok">Member</span>;
  return <span className="badge badge-member">Not a member</span>;
}

export const isMember = (group: Pick<MixerGroup, 'status'>) => group.status === 'active' || group.status === 'paused';
