import type { GroupStats } from '../api/mixers';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import type { Loaded } from '../ui/useLoad';
import { percent } from './format';
import { StatsChart } from './StatsChart';

/** Rounds, meetings and the rates that say whether the group is doing its job, with the per-round chart. */
export function StatsPanel({ stats, timeZone }: { stats: Loaded<GroupStats>; timeZone: string }) {
  const data = stats.data;
  return (
    <section className="card" aria-labelledby="stats-title">
      <h2 id="stats-title" className="card-title">
        Stats
      </h2>
      {stats.error ? <LoadError what="stats" message={stats.error} onRetry={stats.reload} /> : null}
      {!data && stats.loading ? <Loading label="Loading stats…" /> : null}
      {data ? (
        <>
          <dl className="stat-tiles">
            <div>
              <dt>Rounds</dt>
              <dd>{data.rounds}</dd>
            </div>
            <div>
              <dt>Meetings</dt>
              <dd>{data.meetings}</dd>
            </div>
            <div>
              <dt>Participation</dt>
              <dd>{data.rounds ? percent(data.participation) : '—'}</dd>
            </div>
            <div>
              <dt>Repeat pairs</dt>
              <dd>{data.rounds ? percent(data.repeatPairRate) : '—'}</dd>
            </div>
            <div>
              <dt>Cross-team pairs</dt>
              <dd>{data.rounds ? percent(data.crossTeamRate) : '—'}</dd>
            </div>
            <div>
              <dt>Follow-up answers</dt>
              <dd>{data.followUps.answers}</dd>
            </div>
            <div>
              <dt>Met</dt>
              <dd>
                {data.followUps.answeredMeetings
                  ? `${percent(data.followUps.metRate)} (${data.followUps.met} of ${data.followUps.answeredMeetings})`
                  : '—'}
              </dd>
            </div>
          </dl>
          <p className="card-note">
            Participation is the share of members who took part (not paused or skipping). Repeat pairs met before in
            this group; cross-team pairs come from different teams. Met counts the answered meetings where someone said
            yes to “Did you meet?”.
          </p>
          {data.series.length > 0 ? (
            <StatsChart series={data.series} timeZone={timeZone} />
          ) : (
            <div className="empty-inline">
              <p>No rounds yet — run one to start the chart.</p>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
