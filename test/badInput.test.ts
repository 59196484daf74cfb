import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adminClient, Client } from './helpers/server.js';
import { forEachEngine } from './helpers/suite.js';

/**
 * Hostile and careless input on every route: each must answer 4xx with a message (naming the field
 * where there is one), never 500, and leave nothing half-written.
 */
const cases: Array<{
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET';
  url: string;
  payload?: unknown;
  raw?: string;
  /** The raw body's type: JSON unless said. */
  contentType?: string;
  field?: string;
  status?: number;
}> = [
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 'not-an-email', name: 'X', password: 'long enough pw 1' },
    field: 'email',
  },
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 'a@b.org', name: '', password: 'long enough pw 1' },
    field: 'name',
  },
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 'a@b.org', name: 'x'.repeat(500), password: 'long enough pw 1' },
    field: 'name',
  },
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 'a@b.org', name: 'X', password: 'p'.repeat(10_000) },
    field: 'password',
  },
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 42, name: 'X', password: 'long enough pw 1' },
    field: 'email',
  },
  {
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email: 'a@b.org', name: 'X', password: 'long enough pw 1', role: 'admin' },
    status: 400,
  },
  { method: 'POST', url: '/api/v1/auth/signup', payload: [1, 2, 3], status: 400 },
  { method: 'POST', url: '/api/v1/auth/signup', raw: '{"email": "a@b.org", ', status: 400 },
  { method: 'POST', url: '/api/v1/auth/signup', status: 400 },
  { method: 'POST', url: '/api/v1/auth/signin', payload: { email: '', password: 'x' }, field: 'email' },
  { method: 'POST', url: '/api/v1/auth/signin', payload: { email: 'a@b.org' }, field: 'password' },
  { method: 'POST', url: '/api/v1/auth/signin', payload: { email: { $ne: null }, password: 'x' }, field: 'email' },
  { method: 'PATCH', url: '/api/v1/me', payload: { timezone: 'Nowhere/Else' }, field: 'timezone' },
  { method: 'PATCH', url: '/api/v1/me', payload: { name: '   ' }, field: 'name' },
  { method: 'PATCH', url: '/api/v1/me', payload: { role: 'admin' }, status: 400 },
  { method: 'PATCH', url: '/api/v1/me', payload: { newPassword: 'x' }, field: 'currentPassword' },
  { method: 'POST', url: '/api/v1/me/delete-account', payload: {}, field: 'confirm' },
  { method: 'POST', url: '/api/v1/me/delete-account', payload: { confirm: 'not my username' }, field: 'confirm' },
  { method: 'POST', url: '/api/v1/me/delete-account', payload: { confirm: 'admin', force: true }, status: 400 },
  { method: 'PUT', url: '/api/v1/me/photo', payload: { photo: 'data:image/png;base64,AAAA' }, field: 'photo' },
  { method: 'PUT', url: '/api/v1/me/photo', raw: 'not json and not an image', status: 400 },
  { method: 'GET', url: '/api/v1/people/nobody/photo', status: 404 },
  { method: 'GET', url: '/api/v1/people/nobody/photo?size=huge', status: 400 },
  { method: 'GET', url: '/api/v1/admin/people/nobody/export', status: 404 },
  { method: 'POST', url: '/api/v1/admin/people/nobody/delete-account', payload: { confirm: '' }, field: 'confirm' },
  { method: 'POST', url: '/api/v1/admin/people/nobody/delete-account', payload: { confirm: 'x' }, status: 404 },
  { method: 'PATCH', url: '/api/v1/admin/settings', payload: { registration: 'sometimes' }, field: 'registration' },
  { method: 'PATCH', url: '/api/v1/admin/settings', payload: { verificationCode: 'a b' }, field: 'verificationCode' },
  {
    method: 'PATCH',
    url: '/api/v1/admin/settings',
    payload: { verificationCode: 'x'.repeat(65) },
    field: 'verificationCode',
  },
  { method: 'GET', url: '/api/v1/admin/people?limit=0', field: 'limit' },
  { method: 'GET', url: '/api/v1/admin/people?limit=abc', field: 'limit' },
  { method: 'GET', url: '/api/v1/admin/people?offset=-1', field: 'offset' },
  { method: 'GET', url: '/api/v1/admin/people?role=owner', field: 'role' },
  { method: 'GET', url: '/api/v1/admin/people?sort=name', status: 400 },
  { method: 'POST', url: '/api/v1/admin/people/abc/explode', field: 'action' },
  { method: 'POST', url: '/api/v1/admin/people/abc/promote', status: 404 },
  { method: 'PATCH', url: '/api/v1/admin/people/abc', payload: { email: 'nope' }, field: 'email' },
  { method: 'PATCH', url: '/api/v1/admin/people/abc', payload: { enabled: 'yes' }, field: 'enabled' },
  { method: 'PATCH', url: '/api/v1/admin/people/abc', payload: { name: 'Someone' }, status: 404 },
  // mixers
  { method: 'GET', url: '/api/v1/mixers/groups?archived=maybe', field: 'archived' },
  { method: 'GET', url: '/api/v1/mixers/groups?colour=red', status: 400 },
  { method: 'GET', url: `/api/v1/mixers/groups/${'x'.repeat(100)}`, field: 'id' },
  { method: 'GET', url: '/api/v1/mixers/groups/nope', status: 404 },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/join', payload: { personId: 5 }, field: 'personId' },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/leave', payload: { everyone: true }, status: 400 },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/skip', status: 404 },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/resume', payload: { personId: '' }, field: 'personId' },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/pause', payload: { until: 'tomorrow' }, field: 'until' },
  { method: 'GET', url: '/api/v1/mixers/matches?personId=', field: 'personId' },
  { method: 'PUT', url: '/api/v1/mixers/assistant', payload: { username: 42 }, field: 'username' },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'G', cron: '0 10 * * MON', size: 5 },
    field: 'size',
  },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'G', cron: '0 10 * * MON', eligibility: { kind: 'pets' } },
    field: 'eligibility.kind',
  },
  { method: 'PATCH', url: '/api/v1/mixers/groups/nope', payload: { everyWeeks: 0 }, field: 'everyWeeks' },
  { method: 'PATCH', url: '/api/v1/mixers/groups/nope', payload: { name: 'Fine' }, status: 404 },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/members', payload: {}, field: 'personId' },
  { method: 'GET', url: '/api/v1/mixers/groups/nope/members', status: 404 },
  { method: 'GET', url: '/api/v1/mixers/groups/nope/rounds', status: 404 },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/rounds', payload: { dryRun: 'yes' }, field: 'dryRun' },
  { method: 'GET', url: '/api/v1/mixers/groups/nope/stats', status: 404 },
  // unconference
  { method: 'GET', url: `/api/v1/unconference/events/${'x'.repeat(100)}`, field: 'id' },
  { method: 'GET', url: '/api/v1/unconference/events/nope', status: 404 },
  { method: 'GET', url: '/api/v1/unconference/events/nope/proposals', status: 404 },
  { method: 'GET', url: '/api/v1/unconference/proposals/nope', status: 404 },
  { method: 'POST', url: '/api/v1/unconference/events', payload: { name: '' }, field: 'name' },
  {
    method: 'POST',
    url: '/api/v1/unconference/events',
    payload: { name: 'X', timezone: 'Nowhere' },
    field: 'timezone',
  },
  { method: 'POST', url: '/api/v1/unconference/events/nope/days', payload: { date: '2026-13-01' }, field: 'date' },
  {
    method: 'POST',
    url: '/api/v1/unconference/events/nope/slots',
    payload: { dayId: 'd', start: '9', end: '10:00' },
    field: 'start',
  },
  {
    method: 'POST',
    url: '/api/v1/unconference/events/nope/rooms',
    payload: { name: 'R', capacity: 0 },
    field: 'capacity',
  },
  { method: 'PUT', url: '/api/v1/unconference/proposals/nope/interest', payload: { level: 50 }, field: 'level' },
  { method: 'POST', url: '/api/v1/unconference/events/nope/proposals', payload: { title: 'ab' }, field: 'title' },
  {
    method: 'PUT',
    url: '/api/v1/unconference/events/nope/timetable',
    payload: { days: [{ date: 'x' }], rooms: [] },
    field: 'days[0].date',
  },
  { method: 'GET', url: '/api/v1/unconference/events/nope/admin', status: 404 },
  { method: 'PATCH', url: '/api/v1/unconference/events/nope', payload: { proposalLimit: 2.5 }, field: 'proposalLimit' },
  { method: 'PATCH', url: '/api/v1/unconference/events/nope', payload: { name: 'Fine' }, status: 404 },
  { method: 'POST', url: '/api/v1/unconference/events/nope/phase', payload: { phase: 'later' }, field: 'phase' },
  { method: 'DELETE', url: '/api/v1/unconference/events/nope', status: 404 },
  { method: 'PATCH', url: '/api/v1/unconference/days/nope', payload: { date: 'x' }, field: 'date' },
  { method: 'DELETE', url: '/api/v1/unconference/days/nope', status: 404 },
  { method: 'PATCH', url: '/api/v1/unconference/slots/nope', payload: { end: '7pm' }, field: 'end' },
  { method: 'DELETE', url: '/api/v1/unconference/slots/nope', status: 404 },
  { method: 'PATCH', url: '/api/v1/unconference/rooms/nope', payload: { url: 'ftp://x' }, field: 'url' },
  { method: 'DELETE', url: '/api/v1/unconference/rooms/nope', status: 404 },
  { method: 'GET', url: '/api/v1/unconference/events/nope/timetable.json', status: 404 },
  { method: 'POST', url: '/api/v1/unconference/proposals/nope/approve', status: 404 },
  { method: 'POST', url: '/api/v1/unconference/proposals/nope/reject', status: 404 },
  {
    method: 'PUT',
    url: '/api/v1/unconference/proposals/nope/allowed-slots',
    payload: { slotIds: 'all' },
    field: 'slotIds',
  },
  { method: 'PATCH', url: '/api/v1/unconference/proposals/nope', payload: { title: 'ab' }, field: 'title' },
  { method: 'DELETE', url: '/api/v1/unconference/proposals/nope', status: 404 },
  { method: 'POST', url: '/api/v1/unconference/events/nope/proposals', payload: { title: 'Fine title' }, status: 404 },
  { method: 'GET', url: '/api/v1/mixers/groups/nope/reach', status: 404 },
  { method: 'GET', url: `/api/v1/mixers/groups/${'x'.repeat(100)}/reach`, field: 'id' },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/rounds/latest/undo', status: 404 },
  { method: 'POST', url: `/api/v1/mixers/groups/${'x'.repeat(100)}/rounds/latest/undo`, field: 'id' },
  { method: 'POST', url: '/api/v1/mixers/groups/nope/rounds/latest/announce', status: 404 },
  // talks
  { method: 'GET', url: `/api/v1/talks/events/${'x'.repeat(100)}`, field: 'id' },
  { method: 'GET', url: '/api/v1/talks/events/nope', status: 404 },
  { method: 'GET', url: '/api/v1/talks/events/nope/proposals', status: 404 },
  { method: 'GET', url: `/public/talks/events/${'x'.repeat(100)}/proposals`, field: 'id' },
  { method: 'GET', url: '/public/talks/events/nope/proposals', status: 404 },
  { method: 'GET', url: '/api/v1/talks/proposals/nope', status: 404 },
  { method: 'POST', url: '/api/v1/talks/events', payload: { name: '' }, field: 'name' },
  { method: 'POST', url: '/api/v1/talks/events', payload: { name: 'X', topN: 'five' }, field: 'topN' },
  {
    method: 'POST',
    url: '/api/v1/talks/events',
    payload: { name: 'X', votingOpensAt: 'soon' },
    field: 'votingOpensAt',
  },
  { method: 'POST', url: '/api/v1/talks/events', payload: { name: 'X', phase: 'closed' }, status: 400 },
  { method: 'PATCH', url: '/api/v1/talks/events/nope', payload: { voteLimit: 0 }, field: 'voteLimit' },
  { method: 'PATCH', url: '/api/v1/talks/events/nope', payload: { name: 'Fine' }, status: 404 },
  { method: 'POST', url: '/api/v1/talks/events/nope/phase', payload: { phase: 'later' }, field: 'phase' },
  { method: 'POST', url: '/api/v1/talks/events/nope/proposals', payload: { title: 'ab' }, field: 'title' },
  {
    method: 'POST',
    url: '/api/v1/talks/events/nope/proposals',
    payload: { title: 'Fine title', description: 'x'.repeat(5001) },
    field: 'description',
  },
  { method: 'POST', url: '/api/v1/talks/events/nope/proposals', payload: { title: 'Fine title' }, status: 404 },
  { method: 'PATCH', url: '/api/v1/talks/proposals/nope', payload: { title: 'x'.repeat(121) }, field: 'title' },
  { method: 'DELETE', url: '/api/v1/talks/proposals/nope', status: 404 },
  { method: 'POST', url: '/api/v1/talks/proposals/nope/vote', payload: { voted: 'yes' }, field: 'voted' },
  { method: 'POST', url: '/api/v1/talks/proposals/nope/vote', payload: { personId: 'someone' }, status: 400 },
  { method: 'POST', url: '/api/v1/talks/proposals/nope/vote', status: 404 },
  { method: 'POST', url: '/api/v1/talks/proposals/nope/hide', payload: { reason: '' }, field: 'reason' },
  { method: 'POST', url: '/api/v1/talks/proposals/nope/unhide', status: 404 },
  { method: 'GET', url: '/api/v1/talks/events/nope/results', status: 404 },
  { method: 'GET', url: '/api/v1/talks/events/nope/results.csv', status: 404 },
  // integrations
  {
    method: 'POST',
    url: '/api/v1/integrations/mattermost/actions',
    payload: { user_id: 'u1', context: { meetingId: 'm1', answer: 'maybe', sig: 'x' } },
    field: 'context.answer',
  },
  {
    method: 'POST',
    url: '/api/v1/integrations/mattermost/actions',
    payload: { user_id: 'u1', context: { meetingId: 'm1', answer: 'yes', sig: 'forged' } },
    status: 403,
  },
  // meeting messages: follow-up answers, Slack buttons, group message settings
  { method: 'POST', url: '/api/v1/meetings/nope/feedback', payload: { answer: 'maybe' }, field: 'answer' },
  { method: 'POST', url: '/api/v1/meetings/nope/feedback', payload: {}, field: 'answer' },
  { method: 'POST', url: '/api/v1/meetings/nope/feedback', payload: { answer: 'yes', person: 'p' }, field: 'token' },
  {
    method: 'POST',
    url: '/api/v1/meetings/nope/feedback',
    payload: { answer: 'yes', person: 'p', token: 't'.repeat(32) },
    status: 403,
  },
  { method: 'POST', url: '/api/v1/meetings/nope/feedback', payload: { answer: 'yes', via: 'x' }, status: 400 },
  { method: 'POST', url: '/api/v1/meetings/nope/feedback', payload: { answer: 'yes' }, status: 404 },
  { method: 'POST', url: `/api/v1/meetings/${'x'.repeat(100)}/feedback`, payload: { answer: 'yes' }, field: 'id' },
  { method: 'POST', url: '/api/v1/integrations/slack/interactions', raw: 'payload=%7B', status: 404 },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'T1', cron: '0 10 * * MON', reminderMinutes: -1 },
    field: 'reminderMinutes',
  },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'T2', cron: '0 10 * * MON', followUpDays: 0 },
    field: 'followUpDays',
  },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'T3', cron: '0 10 * * MON', chatChannel: 'irc:#x' },
    field: 'chatChannel',
  },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'T4', cron: '0 10 * * MON', introTemplate: 'Hi {{nobody}}' },
    field: 'introTemplate',
  },
  {
    method: 'POST',
    url: '/api/v1/mixers/groups',
    payload: { name: 'T5', cron: '0 10 * * MON', followUpTemplate: '{{#name}}' },
    field: 'followUpTemplate',
  },
  {
    method: 'PATCH',
    url: '/api/v1/mixers/groups/nope',
    payload: { reminderTemplate: '{{{name}}}' },
    field: 'reminderTemplate',
  },
  // meetings
  { method: 'GET', url: '/api/v1/meetings?when=soon', field: 'when' },
  { method: 'GET', url: '/api/v1/meetings?page=0', field: 'page' },
  { method: 'GET', url: '/api/v1/meetings?mine=all', status: 400 },
  { method: 'GET', url: `/api/v1/meetings/${'x'.repeat(100)}`, field: 'id' },
  { method: 'GET', url: '/api/v1/meetings/nope', status: 404 },
  { method: 'GET', url: '/api/v1/meetings/nope/calendar.ics', status: 404 },
  { method: 'PATCH', url: '/api/v1/meetings/nope', payload: { startsAt: 'tomorrow' }, field: 'startsAt' },
  { method: 'PATCH', url: '/api/v1/meetings/nope', payload: {}, field: 'startsAt' },
  {
    method: 'PATCH',
    url: '/api/v1/meetings/nope',
    payload: { startsAt: '2040-01-01T10:00:00Z', durationMinutes: 0 },
    field: 'durationMinutes',
  },
  { method: 'PATCH', url: '/api/v1/meetings/nope', payload: { startsAt: '2040-01-01T10:00:00Z' }, status: 404 },
  { method: 'POST', url: '/api/v1/meetings/nope/cancel', payload: { reason: 'x' }, status: 400 },
  { method: 'POST', url: '/api/v1/meetings/nope/cancel', status: 404 },
  { method: 'POST', url: '/api/v1/meetings/nope/done', status: 404 },
  { method: 'GET', url: '/api/v1/admin/meetings?status=maybe', field: 'status' },
  { method: 'GET', url: '/api/v1/admin/meetings?page=-2', field: 'page' },
  { method: 'GET', url: '/api/v1/admin/meetings?source=Not%20A%20Source', field: 'source' },
  { method: 'POST', url: '/api/v1/admin/meetings', payload: { title: '', participantIds: ['x'] }, field: 'title' },
  {
    method: 'POST',
    url: '/api/v1/admin/meetings',
    payload: { title: 'X', participantIds: [] },
    field: 'participantIds',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/meetings',
    payload: { title: 'X', participantIds: ['nobody'] },
    field: 'participantIds',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/meetings',
    payload: { title: 'X', participantIds: ['nobody'], startsAt: '2001-01-01T09:00:00Z' },
    field: 'startsAt',
  },
  // notification channels, messages, personal channel choices
  { method: 'PUT', url: '/api/v1/admin/channels/fax', payload: { enabled: true }, field: 'channel' },
  { method: 'PUT', url: '/api/v1/admin/channels/email', payload: { enabled: 'yes' }, field: 'enabled' },
  { method: 'PUT', url: '/api/v1/admin/channels/email', payload: { smtpUrl: 'http://mail' }, field: 'smtpUrl' },
  { method: 'PUT', url: '/api/v1/admin/channels/email', payload: { enabled: true }, field: 'smtpUrl' },
  { method: 'PUT', url: '/api/v1/admin/channels/email', payload: { colour: 'red' }, status: 400 },
  { method: 'PUT', url: '/api/v1/admin/channels/webhook', payload: { secret: 'whsec_short' }, field: 'secret' },
  { method: 'PUT', url: '/api/v1/admin/channels/mattermost', payload: { url: 'ftp://x' }, field: 'url' },
  { method: 'POST', url: '/api/v1/admin/channels/fax/test', field: 'channel' },
  { method: 'POST', url: '/api/v1/admin/channels/mattermost/test', status: 409 },
  { method: 'POST', url: '/api/v1/admin/channels/email/test', payload: { to: 'not-an-address' }, field: 'to' },
  { method: 'POST', url: '/api/v1/admin/channels/email/test', payload: { to: 42 }, field: 'to' },
  {
    method: 'POST',
    url: '/api/v1/admin/channels/email/test',
    payload: { to: `${'x'.repeat(250)}@b.org` },
    field: 'to',
  },
  { method: 'POST', url: '/api/v1/admin/channels/email/test', payload: { to: 'a@b.org', cc: 'c@d.org' }, status: 400 },
  { method: 'POST', url: '/api/v1/admin/channels/email/test', payload: ['a@b.org'], status: 400 },
  { method: 'GET', url: '/api/v1/admin/messages?status=lost', field: 'status' },
  { method: 'GET', url: '/api/v1/admin/messages?channel=fax', field: 'channel' },
  { method: 'GET', url: '/api/v1/admin/messages?kind=party', field: 'kind' },
  { method: 'GET', url: '/api/v1/admin/messages?page=0', field: 'page' },
  { method: 'GET', url: '/api/v1/admin/messages?sort=newest', status: 400 },
  { method: 'POST', url: '/api/v1/admin/messages/nope/resend', status: 404 },
  { method: 'POST', url: `/api/v1/admin/messages/${'x'.repeat(100)}/resend`, field: 'id' },
  { method: 'POST', url: '/api/v1/admin/messages/resend', payload: { status: 'sent' }, field: 'status' },
  {
    method: 'POST',
    url: '/api/v1/admin/messages/resend',
    payload: { status: 'failed', channel: 'fax' },
    field: 'channel',
  },
  { method: 'PUT', url: '/api/v1/me/notifications', payload: { defaults: { sms: true } }, field: 'defaults.sms' },
  {
    method: 'PUT',
    url: '/api/v1/me/notifications',
    payload: { defaults: { email: 'yes' } },
    field: 'defaults.email',
  },
  {
    method: 'PUT',
    url: '/api/v1/me/notifications',
    payload: { origins: [{ origin: 'group:nope', override: null }] },
    field: 'origins[0].origin',
  },
  { method: 'PUT', url: '/api/v1/me/notifications', payload: { origins: 'all' }, field: 'origins' },
  { method: 'GET', url: '/api/v1/talks/events?archived=maybe', field: 'archived' },
  { method: 'DELETE', url: `/api/v1/talks/events/${'x'.repeat(100)}`, field: 'id' },
  { method: 'DELETE', url: '/api/v1/talks/events/nope', status: 404 },
  { method: 'GET', url: `/api/v1/talks/events/${'x'.repeat(100)}/deletion`, field: 'id' },
  { method: 'POST', url: '/api/v1/talks/events/nope/archive', payload: { archived: 'yes' }, field: 'archived' },
  // API tokens, inbound deliveries and the meetings API by source
  { method: 'POST', url: '/api/v1/admin/api-tokens', payload: { name: '', scopes: ['meetings:write'] }, field: 'name' },
  { method: 'POST', url: '/api/v1/admin/api-tokens', payload: { name: 'x', scopes: ['everything'] }, status: 400 },
  { method: 'POST', url: `/api/v1/admin/api-tokens/${'x'.repeat(100)}/revoke`, field: 'id' },
  { method: 'POST', url: '/api/v1/admin/api-tokens/nope/revoke', status: 404 },
  {
    method: 'POST',
    url: '/api/v1/admin/api-tokens',
    payload: { name: 'x', scopes: ['meetings:write'], sources: ['intra42'] },
    status: 400,
  },
  { method: 'GET', url: '/api/v1/admin/deliveries?outcome=lost', field: 'outcome' },
  { method: 'GET', url: '/api/v1/admin/deliveries?page=0', field: 'page' },
  { method: 'GET', url: '/api/v1/admin/inbound/refusals?reason=secret', status: 400 },
  { method: 'GET', url: '/api/v1/admin/inbound/setup?events=all', status: 400 },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/hr-tool/17',
    payload: { title: 'Onboarding', startsAt: 'tomorrow', participants: ['ada@example.org'] },
    field: 'startsAt',
  },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/Not%20A%20Source/17',
    payload: { title: 'x', startsAt: '2030-01-01T09:00:00Z', participants: ['ada@example.org'] },
    field: 'source',
  },
  { method: 'DELETE', url: '/api/v1/meetings/by-source/intra42/17', field: 'source' },
  { method: 'GET', url: '/api/v1/meetings/by-source/Not%20A%20Source/17', field: 'source' },
  { method: 'GET', url: '/api/v1/meetings/by-source/hr-tool/17:cancelled:abc', field: 'externalId' },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/hr-tool/18',
    payload: { title: 'x', startsAt: '2030-01-01T09:00:00Z', participants: ['ada@example.org'], room: 'B12' },
    field: 'room',
  },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/hr-tool/17:cancelled:abc',
    payload: { title: 'x', startsAt: '2030-01-01T09:00:00Z', participants: ['ada@example.org'] },
    field: 'externalId',
  },
  {
    method: 'PUT',
    url: `/api/v1/meetings/by-source/hr-tool/${'e'.repeat(201)}`,
    payload: { title: 'x', startsAt: '2030-01-01T09:00:00Z', participants: ['ada@example.org'] },
    field: 'externalId',
  },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/hr-tool/17',
    payload: {
      title: 'x',
      startsAt: '2030-01-01T09:00:00Z',
      participants: ['ada@example.org'],
      messages: { introTemplate: 'Hi {{#first_name}} unclosed' },
    },
    field: 'messages.introTemplate',
  },
  {
    method: 'PUT',
    url: '/api/v1/meetings/by-source/hr-tool/17',
    payload: {
      title: 'x',
      startsAt: '2030-01-01T09:00:00Z',
      participants: ['ada@example.org'],
      updatedAt: '9999-12-31T23:59:59Z',
    },
    field: 'updatedAt',
  },
  // accounts: invitations, forgotten passwords, e-mail confirmation
  { method: 'POST', url: '/api/v1/auth/invitation', payload: { token: '' }, field: 'token' },
  { method: 'POST', url: '/api/v1/auth/invitation/accept', payload: { token: 'x'.repeat(20) }, field: 'name' },
  { method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: 'a'.repeat(300) }, field: 'email' },
  { method: 'POST', url: '/api/v1/auth/password/check', payload: { token: 7 }, field: 'token' },
  {
    method: 'POST',
    url: '/api/v1/auth/password/reset',
    payload: { token: 'x'.repeat(20), password: 1 },
    field: 'password',
  },
  { method: 'POST', url: '/api/v1/auth/verify-email', payload: {}, field: 'token' },
  { method: 'GET', url: `/api/v1/admin/invitations?state=nonsense`, field: 'state' },
  { method: 'POST', url: '/api/v1/admin/invitations', payload: { emails: '' }, field: 'emails' },
  { method: 'POST', url: '/api/v1/admin/invitations', payload: { emails: 'a@b.org\nnot an address' }, field: 'emails' },
  { method: 'POST', url: `/api/v1/admin/invitations/${'x'.repeat(100)}/resend`, field: 'id' },
  { method: 'POST', url: `/api/v1/admin/invitations/nope/revoke`, status: 404 },
  { method: 'POST', url: `/api/v1/admin/people/nope/reset-link`, status: 404 },
  { method: 'GET', url: '/api/v1/admin/audit?since=yesterday', field: 'since' },
  // The directory upload: the feed file is the body, the choices are in the query.
  {
    method: 'POST',
    url: '/api/v1/admin/directory/imports?fileName=staff.csv&dryRun=yes',
    raw: 'id,auth_username\n',
    contentType: 'text/csv',
    field: 'dryRun',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/directory/imports?fileName=&dryRun=true',
    raw: 'x',
    contentType: 'text/csv',
    field: 'fileName',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/directory/imports?fileName=staff.csv&dryRun=false',
    raw: 'id,auth_username\n1,ada\n',
    contentType: 'text/csv',
    status: 400,
  },
  {
    method: 'POST',
    url: '/api/v1/admin/directory/imports?fileName=staff.csv&dryRun=true',
    raw: '',
    contentType: 'text/csv',
    field: 'feed',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/directory/imports?fileName=staff.json&dryRun=false',
    raw: '[{"id": 1}, ',
    contentType: 'application/json',
    status: 400,
  },
  { method: 'GET', url: '/api/v1/admin/audit.csv?until=2026-13-45', field: 'until' },
  // unconference: the scheduling console, published pages, test mode, feeds
  { method: 'GET', url: `/api/v1/admin/unconference/events/${'x'.repeat(100)}/schedule`, field: 'id' },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/schedule/runs',
    payload: { seconds: 0 },
    field: 'seconds',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/schedule/runs',
    payload: { mode: 'fast' },
    field: 'mode',
  },
  { method: 'GET', url: `/api/v1/admin/unconference/events/nope/schedule/runs/${'x'.repeat(100)}`, field: 'runId' },
  { method: 'POST', url: '/api/v1/admin/unconference/events/nope/schedule/runs/nope/cancel', status: 404 },
  {
    method: 'PUT',
    url: '/api/v1/admin/unconference/events/nope/schedule/slots/s1/lock',
    payload: { locked: 'yes' },
    field: 'locked',
  },
  {
    method: 'PUT',
    url: '/api/v1/admin/unconference/events/nope/schedule/proposals/p1/pin',
    payload: { pinned: 1 },
    field: 'pinned',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/schedule/moves/preview',
    payload: { slotId: null },
    field: 'proposalId',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/schedule/moves',
    payload: { proposalId: 'p', slotId: 'x'.repeat(100) },
    field: 'slotId',
  },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/schedule/publish',
    payload: { note: 'n'.repeat(501) },
    field: 'note',
  },
  { method: 'GET', url: `/api/v1/unconference/events/${'x'.repeat(100)}/changelog`, field: 'id' },
  { method: 'GET', url: '/api/v1/unconference/events/nope/published', status: 404 },
  { method: 'GET', url: '/api/v1/unconference/events/nope/published/agenda?tz=Nowhere/Land', field: 'tz' },
  { method: 'GET', url: '/api/v1/unconference/sessions/nope', status: 404 },
  { method: 'GET', url: '/api/v1/unconference/events/nope/published/schedule.xml', status: 404 },
  { method: 'GET', url: `/api/v1/unconference/events/${'x'.repeat(100)}/published/schedule.json`, field: 'id' },
  {
    method: 'POST',
    url: '/api/v1/admin/unconference/events/nope/test-mode',
    payload: { people: 1, proposals: 5 },
    field: 'people',
  },
  { method: 'DELETE', url: '/api/v1/admin/unconference/events/nope/test-mode', status: 404 },
  { method: 'GET', url: '/api/v1/feeds/nope/unconference/nope/agenda.ics', status: 404 },
  { method: 'GET', url: '/api/v1/feeds/nope/unconference/nope/event.ics', status: 404 },
  { method: 'GET', url: `/api/v1/feeds/nope/unconference/nope/rooms/${'x'.repeat(100)}/room.ics`, field: 'roomId' },
];

forEachEngine('bad input on every route', (get) => {
  test('every case answers 4xx with a message naming the field, and no 500', async () => {
    const admin = await adminClient(get().app);
    const before = await get().ctx.database.db.selectFrom('people').select('id').execute();
    for (const c of cases) {
      const response =
        c.raw !== undefined
          ? await admin.request(c.method, c.url, c.raw, {
              headers: { 'content-type': c.contentType ?? 'application/json' },
            })
          : await admin.request(c.method, c.url, c.payload);
      const label = `${c.method} ${c.url} ${JSON.stringify(c.payload ?? c.raw ?? null).slice(0, 80)}`;
      assert.ok(response.status >= 400 && response.status < 500, `${label} → ${response.status}`);
      if (c.status) assert.equal(response.status, c.status, label);
      assert.equal(typeof response.body.error?.message, 'string', label);
      if (c.field) {
        assert.equal(response.body.error.field, c.field, `${label}: ${response.body.error.message}`);
        assert.ok(response.body.error.message.includes(c.field), label);
      }
    }
    const after = await get().ctx.database.db.selectFrom('people').select('id').execute();
    assert.equal(after.length, before.length, 'no bad request created anyone');
  });

  test('every API route in the OpenAPI document has a bad-input case', async () => {
    const doc = (await new Client(get().app).get('/api/openapi.json')).body;
    const urls = cases.map((c) => `${c.method} ${c.url.split('?')[0]}`);
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      const template = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(methods)) {
        const hasInput = JSON.stringify(methods[method]).match(/"requestBody"|"parameters"/);
        if (!hasInput) continue;
        const covered = urls.some((url) => {
          const [m, p] = url.split(' ');
          return m === method.toUpperCase() && template.test(p!);
        });
        assert.ok(covered, `no bad-input case for ${method.toUpperCase()} ${path}`);
      }
    }
  });

  test('unknown API routes get a JSON 404, unknown pages get the app', async () => {
    const client = new Client(get().app);
    const api = await client.get('/api/v1/nope');
    assert.equal(api.status, 404);
    assert.match(api.body.error.message, /No route/);
    const text = await client.request('POST', '/api/v1/auth/signin', 'email=a', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(text.status, 415);
    assert.equal(text.body.error.code, 'unsupported_media_type');
    // A JSON content type with no body at all: the API's own code, and a message saying what is wrong.
    const empty = await client.request('POST', '/api/v1/auth/signin', '', {
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'bad_request');
    assert.match(empty.body.error.message, /empty/i);
  });
});
