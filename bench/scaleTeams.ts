/**
 * What the ingest benches send, in a module of its own (no app code) so the HTTP sender process
 * loads nothing else: the webhook secret, and scale_team creates with distinct ids, each with an
 * evaluator and a team of two nobody has seen before.
 */
export const BENCH_SECRET = 'bench-create-secret';
export const BENCH_WEBHOOKS = `scale_team.create:${BENCH_SECRET}`;

/** When the benches' evaluations begin: 3 hours from now, so each is announced with a reminder. */
export const threeHoursAhead = () => new Date(Date.now() + 3 * 3_600_000).toISOString();

/** Scale team `id`'s create, as JSON text. */
export const scaleTeamCreate = (id: number, beginAt: string) =>
  JSON.stringify({
    id,
    begin_at: beginAt,
    user: { login: `eval${id}` },
    team: { id, name: 'libft', users: [{ login: `stud${id}a` }, { login: `stud${id}b` }] },
  });
