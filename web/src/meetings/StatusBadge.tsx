import type { MeetingStatus } from '../api/meetings';

const LABELS: Record<MeetingStatus, { text: string; className: string }> = {
  scheduled: { text: 'Scheduled', className: 'badge' },
  rescheduled: { text: 'Rescheduled', className: 'badge badge-warn' },
  cancelled: { text: 'Cancelled', className: 'badge badge-off' },
  done: { text: 'Done', className: 'badge badge-ok' },
};

export function MeetingStatusBadge({
  status,
  timed = true,
  startsAt,
}: {
  status: MeetingStatus;
  timed?: boolean;
  /** When given, a meeting still scheduled whose start has passed says "Past", not "Scheduled". */
  startsAt?: string | null;
}) {
  // An untimed meeting is not "scheduled" in anyone's eyes yet: say what it needs.
  if (status === 'scheduled' && !timed) return <span className="badge badge-warn">No time yet</span>;
  const open = status === 'scheduled' || status === 'rescheduled';
  if (open && startsAt && Date.parse(startsAt) < Date.now()) return <span className="badge badge-off">Past</span>;
  const label = LABELS[status];
  return <span className={label.className}>{label.text}</span>;
}
