import { type InboundRefusal, listRefusals, type RefusalReason } from '../api/ingest';
import { atSecond } from '../ui/dates';
import { LoadError } from '../ui/LoadError';
import { plural } from '../ui/plural';
import { useLoad } from '../ui/useLoad';
import { useTimeZone } from '../ui/useTimeZone';

/** Each reason in plain words, with what the admin can do about it. */
const REASONS: Record<RefusalReason, { title: string; fix: (channel: InboundRefusal['channel']) => string }> = {
  secret: {
    title: 'Wrong or missing X-Secret',
    fix: () =>
      'Check that intra42.webhooks (CONVENE_INTRA42_WEBHOOKS) holds the secret the intranet sends for the model.event in the last refusal, as in scale_team.create:<secret>.',
  },
  model: {
    title: 'Unknown X-Model',
    fix: (channel) =>
      channel === 'queue'
        ? 'Convene takes scale_team only: publish only scale_team messages to this queue.'
        : 'Convene takes scale_team only: subscribe this hook to scale_team events and nothing else.',
  },
  event: {
    title: 'Unknown X-Event',
    fix: (channel) =>
      channel === 'queue'
        ? 'Convene takes scale_team create, update and destroy: publish no other event to this queue.'
        : 'Convene takes scale_team create, update and destroy: remove any other event from this hook.',
  },
  delivery_id: {
    title: 'Missing or bad X-Delivery',
    fix: (channel) =>
      channel === 'queue'
        ? 'Each message needs an X-Delivery header or a message id (200 printable characters at most), so a copy is recognised.'
        : 'Each webhook needs an X-Delivery header (200 printable characters at most), so a redelivery is recognised.',
  },
};

/**
 * Deliveries refused by their headers are not recorded as deliveries: without this panel a wrong
 * secret, the likeliest setup mistake, would be invisible. Shows nothing when there are none.
 */
export function InboundRefusals() {
  const zone = useTimeZone();
  const { data, error, reload } = useLoad('inbound-refusals', listRefusals);
  if (error) return <LoadError what="refused deliveries" message={error} onRetry={reload} />;
  if (!data?.refusals.length) return null;
  const requests = data.refusals.reduce((n, r) => n + r.count, 0);
  return (
    <section className="card" aria-labelledby="refusals-title">
      <h2 id="refusals-title" className="card-title">
        Refused before they were read
      </h2>
      <p className="card-note">
        These never became deliveries: their headers were refused, so the list below does not show them.
      </p>
      {/* Many kinds at once fill a phone's screen before the deliveries: folded, counted. */}
      <details className="refusals-fold" open={data.refusals.length <= 3}>
        <summary>
          {plural(data.refusals.length, 'kind')}, {requests.toLocaleString()} {requests === 1 ? 'request' : 'requests'}
        </summary>
        <ul className="unreachable-list">
          {data.refusals.map((r) => (
            <li key={`${r.source}-${r.channel}-${r.reason}`} className="unreachable is-warning refusal">
              <span className="unreachable-name">{REASONS[r.reason].title}</span>{' '}
              <span className="badge badge-warn">
                {r.count.toLocaleString()} {r.count === 1 ? 'time' : 'times'}
              </span>
              <span className="cell-sub">
                {r.source} · {r.channel === 'queue' ? 'queue message' : 'webhook'} ·{' '}
                {r.channel === 'queue' ? 'status' : 'HTTP'} {r.lastStatus} · last {atSecond(r.lastAt, zone)}
                {r.lastFrom ? ` from ${r.lastFrom}` : ''}
              </span>
              <p className="refusal-fix">{REASONS[r.reason].fix(r.channel)}</p>
              {r.lastDetail ? <p className="refusal-detail">Last: {r.lastDetail}</p> : null}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
