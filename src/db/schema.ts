/**
 * Table types for Kysely. Conventions shared by both engines: ids are random text, times are
 * ISO-8601 UTC text, booleans are 0/1 integers, JSON is text. That keeps one code path for SQLite
 * and PostgreSQL without per-engine type parsers.
 */
import type { ColumnType, Generated } from 'kysely';

export type Flag = 0 | 1;
export type Role = 'admin' | 'member';

export interface PeopleTable {
  id: string;
  username: string;
  email: string | null;
  name: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  team: string | null;
  manager_id: string | null;
  is_manager: Flag;
  /** 1 when the directory stated is_manager: then it decides, and the title pattern does not. */
  is_manager_stated: Generated<Flag>;
  avatar_url: string | null;
  timezone: string;
  enabled: Flag;
  role: Role;
  verified: Flag;
  password_hash: string | null;
  signup_ip: string | null;
  created_at: string;
  updated_at: string;
  last_signin_at: string | null;
  assistant_id: Generated<string | null>;
  /** 1 once the person confirmed or chose their timezone (the one-time prompt is then not shown). */
  timezone_confirmed: Generated<Flag>;
  /** When the account was deleted: the row stays, anonymised, so meetings keep their history. */
  deleted_at: Generated<string | null>;
}

/** One row per identity a person has elsewhere: directory id, Slack id, 42 login… */
export interface ExternalIdsTable {
  person_id: string;
  source: string;
  external_id: string;
}

export interface AuthSessionsTable {
  /** sha256 of the cookie token; the token itself is never stored. */
  id: string;
  person_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  data: string | null;
  /** The client address of the request that made the change (null for the CLI and jobs). */
  ip: Generated<string | null>;
}

export interface InvitationsTable {
  id: string;
  email: string;
  /** sha256 of the link's token; a resend replaces it, so an older link stops working. */
  token_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  last_sent_at: string | null;
  send_count: Generated<number>;
  accepted_at: string | null;
  person_id: string | null;
  revoked_at: string | null;
}

export type AccountTokenPurpose = 'password_reset' | 'email_verification';

export interface AccountTokensTable {
  /** sha256 of the link's token: the token itself is never stored. */
  token_hash: string;
  purpose: AccountTokenPurpose;
  person_id: string;
  email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type MemberStatus = 'active' | 'paused' | 'left';
/**
 * 'sync': the chat channel sync removed them, and brings them back when they are in the channel again.
 * 'disabled': they left because they were disabled; automatic groups take them back once enabled again.
 */
export type MemberLeftBy = 'self' | 'sync' | 'admin' | 'disabled';
export type OddPolicy = 'trio' | 'sit_out';
export type Membership = 'open' | 'admin' | 'auto';
/** 'round' (a mixer), 'manual' (an admin), 'unconference', or an outside source's name ('intra42', an API caller's). */
export type MeetingSource = string;
export type MeetingStatus = 'scheduled' | 'rescheduled' | 'cancelled' | 'done';

export interface GroupsTable {
  id: string;
  name: string;
  name_key: string;
  description: string;
  /** Day and time of rounds, in the group's timezone. */
  cron: string;
  timezone: string;
  /** 1 = every occurrence of the cron; N = every Nth week counted from anchor_date. */
  every_weeks: number;
  anchor_date: string | null;
  size: 2 | 3;
  odd_policy: OddPolicy;
  /** JSON: {"kind":"everyone"} | {"kind":"managers"} | {"kind":"teams","teams":[…]} */
  eligibility: string;
  membership: Membership;
  intro_template: string | null;
  /** Minutes before a meeting's start that its reminder goes out. */
  reminder_minutes: Generated<number>;
  /** Days after a meeting is made that "Did you meet?" is asked; null: never. */
  follow_up_days: Generated<number | null>;
  reminder_template: Generated<string | null>;
  follow_up_template: Generated<string | null>;
  /** "slack:C0123" | "mattermost:id": members are synced from that channel before each round. */
  chat_channel: Generated<string | null>;
  chat_synced_at: Generated<string | null>;
  archived: Flag;
  next_round_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface GroupMembersTable {
  group_id: string;
  person_id: string;
  status: MemberStatus;
  paused_until: string | null;
  /** The scheduled time of the one round this member skips. */
  skip_round_at: string | null;
  joined_at: string;
  left_at: string | null;
  /** Who ended the membership; null for memberships that ended before it was recorded (read as 'self'). */
  left_by: MemberLeftBy | null;
}

export interface RoundsTable {
  id: string;
  group_id: string;
  scheduled_for: string;
  round_index: number;
  seed: string;
  /** JSON summary: members, pairs, trios, sat out, repeats, same-team pairs. */
  stats: string;
  created_at: string;
  /** Set when an admin undid the round: its meetings are cancelled and no rule counts it. */
  undone_at: string | null;
  undone_by: string | null;
}

/** A member's "skip the next round" that the round used up: given back if the round is undone. */
export interface RoundUsedSkipsTable {
  round_id: string;
  person_id: string;
  skip_round_at: string;
}

export interface RoundSitoutsTable {
  round_id: string;
  person_id: string;
}

export interface MeetingsTable {
  id: string;
  source: MeetingSource;
  external_id: string | null;
  group_id: string | null;
  round_id: string | null;
  title: string;
  starts_at: string | null;
  duration_minutes: number | null;
  room_url: string | null;
  status: MeetingStatus;
  created_at: string;
  updated_at: string;
  /** The video room's name (≥ 96 random bits); its URL comes from the video settings. */
  room_name: Generated<string | null>;
  /** Minutes before the start that the reminder goes out; null: no reminder. */
  reminder_minutes: Generated<number | null>;
  /** "group:<id>", "event:<id>", "source:<name>"; null for an admin's meeting. Keys personal channel choices. */
  origin: Generated<string | null>;
  /** The origin's name as people know it, copied when the meeting is made. */
  origin_name: Generated<string | null>;
  /** Message settings copied from the origin when the meeting is made (null: the default wording). */
  intro_template: Generated<string | null>;
  reminder_template: Generated<string | null>;
  follow_up_template: Generated<string | null>;
  /** Days after the meeting is made that "Did you meet?" is asked; null: never. */
  follow_up_days: Generated<number | null>;
  /** An outside source's own change time: the newest wins when updates arrive out of order. */
  external_updated_at: Generated<string | null>;
}

export type FeedbackAnswer = 'yes' | 'no';
export type FeedbackVia = 'email' | 'slack' | 'mattermost' | 'web';

/** "Did you meet?": one answer per participant per meeting, the latest one wins. */
export interface MeetingFeedbackTable {
  meeting_id: string;
  person_id: string;
  answer: FeedbackAnswer;
  via: FeedbackVia;
  answered_at: string;
}

export interface MeetingParticipantsTable {
  meeting_id: string;
  person_id: string;
  role: string;
}

export type EventKind = 'talks' | 'unconference';
/** A talks event's phase. */
export type EventPhase = 'proposals' | 'voting' | 'closed';
/** An unconference's phase. */
export type UnconferencePhase = 'proposals' | 'scheduling' | 'published' | 'finished';

export interface EventsTable {
  id: string;
  kind: EventKind;
  name: string;
  description: string;
  description_html: string;
  /** EventPhase for talks, UnconferencePhase for an unconference (each capability reads its own kind). */
  phase: EventPhase | UnconferencePhase;
  /** 1: people may still propose while voting is open. */
  proposals_during_voting: Flag;
  /** How many of the best-voted proposals are selected when voting closes. */
  top_n: number;
  /** Votes a person may cast in the event; null: no limit. */
  vote_limit: number | null;
  voting_opens_at: string | null;
  voting_closes_at: string | null;
  /** 1: speakers may vote for their own proposals. */
  allow_self_vote: Generated<Flag>;
  /** Set when an admin archived the event: kept with its results, out of the everyday list. */
  archived_at: string | null;
  /** When the selected talks are given (UTC ISO), and where. */
  talks_at: string | null;
  venue: string | null;
  created_at: string;
  updated_at: string;
}

export interface ProposalsTable {
  id: string;
  event_id: string;
  speaker_id: string;
  created_by: string | null;
  title: string;
  /** Lower-cased title: unique per event. */
  title_key: string;
  description: string;
  description_html: string;
  hidden: Flag;
  hidden_reason: string | null;
  hidden_by: string | null;
  hidden_at: string | null;
  /** Always equal to the number of vote rows (changed in the vote's transaction). */
  vote_count: number;
  created_at: string;
  updated_at: string;
}

export interface VotesTable {
  proposal_id: string;
  person_id: string;
  event_id: string;
  created_at: string;
}

export interface BallotsTable {
  event_id: string;
  person_id: string;
  updated_at: string;
}

export type NotificationChannel = 'email' | 'slack' | 'mattermost' | 'webhook';
export type NotificationKind = 'intro' | 'reminder' | 'rescheduled' | 'cancel' | 'follow_up';
/** 'skipped': no longer worth sending (a reminder whose meeting has started, a cancelled meeting's). */
export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** The outbox: one row per message, written in the transaction of the change that causes it. */
export interface NotificationsTable {
  id: string;
  meeting_id: string | null;
  /** Null for a message to the whole meeting (one Slack conversation with every participant). */
  person_id: string | null;
  channel: NotificationChannel;
  kind: NotificationKind;
  /** JSON snapshot of what the message says (see features/notifications/payload.ts). */
  payload: string;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: string;
  /** A worker's lease: past this time a row still 'sending' may be claimed again. */
  claimed_until: string | null;
  claimed_by: string | null;
  /** 1: claimed from a worker whose lease ran out mid-send; the channel checks before resending. */
  recovered: Flag;
  last_error: string | null;
  /** JSON: what the channel answered (message id, Slack channel and ts, people not reached). */
  result: string | null;
  sent_at: string | null;
  dedupe_key: string;
  created_at: string;
  updated_at: string;
  /** The meeting's origin when queued ("group:<id>"…), for filtering without a join. */
  origin: string | null;
  origin_name: string | null;
}

export interface NotificationPrefsTable {
  person_id: string;
  /** '' for the person's default; an origin ("group:<id>", "event:<id>", "source:intra42") for its override. */
  scope: string;
  channel: NotificationChannel;
  enabled: Flag;
  updated_at: string;
}

export interface ChannelSettingsTable {
  channel: NotificationChannel;
  enabled: Flag;
  /** JSON, shown to admins. */
  settings: string;
  /** JSON, never shown back in full. */
  secrets: string;
  source: 'config' | 'admin';
  updated_at: string;
}

/** A job that runs once across processes: who runs it, until when, and the scheduled time it last ran. */
export interface JobLeasesTable {
  name: string;
  holder: string | null;
  until: string | null;
  last_due_at: string | null;
  updated_at: string;
}

export type DeliveryOutcome = 'processing' | 'ok' | 'ignored' | 'rejected' | 'failed';

/** An inbound webhook or queue message, recorded once per (source, delivery id). */
export interface DeliveriesTable {
  id: string;
  source: string;
  delivery_id: string;
  received_at: string;
  outcome: DeliveryOutcome;
  status_code: number | null;
  error: string | null;
  summary: string | null;
  meeting_id: string | null;
  /** How it came: 'webhook' | 'queue'. */
  channel: Generated<DeliveryChannel>;
  /** While 'processing': until when the claim holds; after that a redelivery may take it over. */
  lease_until: string | null;
  /** A refused queue message: when it was put in the dead-letter queue (once). */
  dead_lettered_at: string | null;
  /** What it is about, as its sender names it (a scale team's id); null before 0025 or when the body names nothing. */
  subject: Generated<string | null>;
  /** The event it carried (a scale_team's create, update or destroy); null before 0026 or when refused before it was read. */
  event: Generated<string | null>;
}

export type DeliveryChannel = 'webhook' | 'queue';

/** Why a delivery was refused before it was read: a fixed set, so the table cannot grow. */
export type RefusalReason = 'secret' | 'model' | 'event' | 'delivery_id';

/** Deliveries refused before they were read, counted per (source, channel, reason). */
export interface InboundRefusalsTable {
  source: string;
  channel: DeliveryChannel;
  reason: RefusalReason;
  /** A bigint: PostgreSQL hands it back as a string. */
  count: ColumnType<number | string, number, number>;
  first_at: string;
  last_at: string;
  last_status: number;
  last_detail: string | null;
  /** The webhook's client address; null for the queue. */
  last_from: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  /** sha256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  /** JSON array of scopes, e.g. ["meetings:write"]. */
  scopes: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** JSON array of the sources it may use, e.g. ["hr-tool"]; null: any the meetings API accepts. */
  sources: Generated<string | null>;
}

export interface UnconfSettingsTable {
  event_id: string;
  timezone: string;
  website_active: Flag;
  schedule_visible: Flag;
  /** Proposals a member may own; null = the number of non-break slots. */
  proposal_limit: number | null;
  video_rooms: Flag;
  scheduling_at: string | null;
  publish_at: string | null;
  finish_at: string | null;
}

export interface UnconfDaysTable {
  id: string;
  event_id: string;
  /** YYYY-MM-DD in the event's timezone. */
  date: string;
  label: string;
}

export interface UnconfSlotsTable {
  id: string;
  event_id: string;
  day_id: string;
  starts_at: string;
  ends_at: string;
  is_break: Flag;
  label: string;
  locked: Flag;
}

export interface UnconfRoomsTable {
  id: string;
  event_id: string;
  name: string;
  name_key: string;
  capacity: number;
  url: string | null;
  is_place: Flag;
  position: number;
}

export type UnconfProposalStatus = 'pending' | 'approved' | 'rejected';

export interface UnconfProposalsTable {
  id: string;
  event_id: string;
  created_by: string | null;
  title: string;
  title_key: string;
  description: string;
  description_html: string;
  status: UnconfProposalStatus;
  /** What the public sees while an edit by an unverified member waits for approval. */
  approved_title: string | null;
  approved_description: string | null;
  approved_description_html: string | null;
  edit_pending: Flag;
  pinned_slot_id: string | null;
  pinned_room_id: string | null;
  is_fake: Flag;
  created_at: string;
  updated_at: string;
}

export type UnconfOwnerRole = 'owner' | 'co-owner';

export interface UnconfOwnersTable {
  proposal_id: string;
  person_id: string;
  event_id: string;
  role: UnconfOwnerRole;
}

export interface UnconfAllowedSlotsTable {
  proposal_id: string;
  slot_id: string;
}

export type InterestLevel = 0 | 25 | 75 | 100;

export interface UnconfInterestsTable {
  proposal_id: string;
  person_id: string;
  event_id: string;
  level: InterestLevel;
  updated_at: string;
}

export interface UnconfAssignmentsTable {
  proposal_id: string;
  event_id: string;
  slot_id: string;
  room_id: string;
}

export type UnconfRunMode = 'full' | 'minimal_change';
export type UnconfRunStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export interface UnconfRunsTable {
  id: string;
  event_id: string;
  requested_by: string | null;
  mode: UnconfRunMode;
  status: UnconfRunStatus;
  budget_seconds: number;
  progress: number;
  best_score: number | null;
  upper_bound: number | null;
  /** JSON of the engine's SolveResult, once done. */
  result: string | null;
  error: string | null;
  cancel_requested: Flag;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** Written with every progress report; a running run whose heartbeat is old lost its process. */
  heartbeat_at: string | null;
}

export interface UnconfVersionsTable {
  id: string;
  event_id: string;
  number: number;
  published_at: string;
  published_by: string | null;
  score: number | null;
  note: string;
}

export interface UnconfVersionSessionsTable {
  version_id: string;
  proposal_id: string;
  title: string;
  slot_id: string;
  room_id: string;
  room_name: string;
  starts_at: string;
  ends_at: string;
  meeting_id: string | null;
}

export interface CalendarFeedsTable {
  id: string;
  person_id: string;
  /** sha256 of the token in the feed URL. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface UnconfTestPeopleTable {
  event_id: string;
  person_id: string;
}

/** An uploaded profile photo, resized; the person's avatar_url points at it. */
export interface PersonPhotosTable {
  person_id: string;
  content_type: string;
  /** base64 of the stored image. */
  data: string;
  etag: string;
  updated_at: string;
}

export interface DB {
  people: PeopleTable;
  external_ids: ExternalIdsTable;
  auth_sessions: AuthSessionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  invitations: InvitationsTable;
  account_tokens: AccountTokensTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  rounds: RoundsTable;
  round_sitouts: RoundSitoutsTable;
  round_used_skips: RoundUsedSkipsTable;
  meetings: MeetingsTable;
  meeting_participants: MeetingParticipantsTable;
  meeting_feedback: MeetingFeedbackTable;
  notifications: NotificationsTable;
  notification_prefs: NotificationPrefsTable;
  channel_settings: ChannelSettingsTable;
  events: EventsTable;
  proposals: ProposalsTable;
  votes: VotesTable;
  ballots: BallotsTable;
  job_leases: JobLeasesTable;
  deliveries: DeliveriesTable;
  inbound_refusals: InboundRefusalsTable;
  api_tokens: ApiTokensTable;
  unconf_settings: UnconfSettingsTable;
  unconf_days: UnconfDaysTable;
  unconf_slots: UnconfSlotsTable;
  unconf_rooms: UnconfRoomsTable;
  unconf_proposals: UnconfProposalsTable;
  unconf_owners: UnconfOwnersTable;
  unconf_allowed_slots: UnconfAllowedSlotsTable;
  unconf_interests: UnconfInterestsTable;
  unconf_assignments: UnconfAssignmentsTable;
  unconf_runs: UnconfRunsTable;
  unconf_versions: UnconfVersionsTable;
  unconf_version_sessions: UnconfVersionSessionsTable;
  calendar_feeds: CalendarFeedsTable;
  unconf_test_people: UnconfTestPeopleTable;
  person_photos: PersonPhotosTable;
}
