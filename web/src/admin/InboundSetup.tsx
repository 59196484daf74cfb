import type { InboundSetup as Setup } from '../api/ingest';

/** Whether this server has a secret for any 42 event: without one every delivery is refused (401). */
export const intra42Ready = (setup: Setup) => setup.intra42.events.some((e) => e.secret);

const WEBHOOKS_EXAMPLE = 'scale_team.create:<secret>,scale_team.update:<secret>,scale_team.destroy:<secret>';

/**
 * The 42 intranet's setup, read from the server's configuration (environment or config file, which
 * the console cannot change): which events have a secret (never the secrets), the address to give
 * the intranet, the 42 API and the queue. Not set up, it says what to do next, step by step.
 */
export function InboundSetup({ setup }: { setup: Setup }) {
  const { webhookUrl, publicUrlSet, events, api, queue } = setup.intra42;
  const ready = intra42Ready(setup);
  const missing = events.filter((e) => !e.secret).map((e) => e.event);
  return (
    <section className="card" aria-labelledby="intra42-setup-title" data-testid="intra42-setup">
      <h2 id="intra42-setup-title" className="card-title">
        42 intranet webhooks
      </h2>
      {ready ? null : (
        <div className="alert alert-warning" role="status">
          <div className="alert-body">
            <strong>Not set up: every 42 webhook is refused (HTTP 401)</strong>, because this server has no secret for
            any scale_team event. To set it up:
            <ol className="unreachable-reasons">
              <li>
                In the 42 intranet, add webhooks for the <code>scale_team</code> model, events <code>create</code>,{' '}
                <code>update</code> and <code>destroy</code>, each pointing at the address below with its own secret.
              </li>
              <li>
                Give this server the same secrets: set <code>intra42.webhooks</code> in its config file, or the
                environment variable <code>CONVENE_INTRA42_WEBHOOKS</code>, to <code>{WEBHOOKS_EXAMPLE}</code>. Then
                restart Convene (and <code>convene consume</code>, if it reads a queue).
              </li>
            </ol>
          </div>
        </div>
      )}
      <dl className="facts">
        <dt>Webhook address</dt>
        <dd>
          {/* Text, not a field: all of it shows on a phone, wrapped, and it selects as easily. */}
          <code data-testid="intra42-webhook-url">{webhookUrl}</code>
          {publicUrlSet ? null : (
            <span className="cell-sub">
              <code>publicUrl</code> (<code>CONVENE_PUBLIC_URL</code>) is not set, so this is the server's local
              address: give the intranet the address it reaches this server at, followed by <code>/webhooks/42</code>.
            </span>
          )}
        </dd>
        <dt>Events</dt>
        <dd>
          <ul className="plain-list">
            {events.map((e) => (
              <li key={e.event}>
                <code>{e.event}</code>{' '}
                <span className={`badge ${e.secret ? 'badge-ok' : 'badge-warn'}`}>
                  {e.secret ? 'Secret set' : 'No secret: refused'}
                </span>
              </li>
            ))}
          </ul>
          {ready && missing.length ? (
            <span className="cell-sub">
              Deliveries of {missing.join(', ')} are refused (HTTP 401): add{' '}
              {missing.length === 1 ? 'its secret' : 'their secrets'} to <code>intra42.webhooks</code> (
              <code>CONVENE_INTRA42_WEBHOOKS</code>) if the intranet sends {missing.length === 1 ? 'it' : 'them'}.
            </span>
          ) : null}
        </dd>
        <dt>42 API</dt>
        <dd>
          {api ? (
            'Configured: team members a webhook does not list are read from it.'
          ) : (
            <>
              Not configured: each webhook must list its team's members. To read them from the 42 API, set{' '}
              <code>intra42.appId</code> and <code>intra42.appSecret</code> (<code>CONVENE_INTRA42_APP_ID</code>,{' '}
              <code>CONVENE_INTRA42_APP_SECRET</code>).
            </>
          )}
        </dd>
        <dt>RabbitMQ queue</dt>
        <dd>
          {queue ? (
            <>
              <code>{queue}</code>, read by <code>convene consume</code>.
            </>
          ) : (
            <>
              Not configured (optional: the same events from a queue, with <code>intra42.amqp.url</code>,{' '}
              <code>CONVENE_INTRA42_AMQP_URL</code>).
            </>
          )}
        </dd>
      </dl>
    </section>
  );
}
