import { CHANNEL_LABELS, KIND_LABELS, type Message, type MessageStatus } from '../api/notifications';
import { Button } from '../ui/Button';
import { atMinute, atMinuteShort } from '../ui/dates';
import { TableHead } from '../ui/TableHead';
import { useTimeZone } from '../ui/useTimeZone';

interface MessagesTableProps {
  messages: Message[];
  statusLabels: Record<MessageStatus, string>;
  pendingId: string | null;
  onResend: (id: string) => void;
}

/**
 * A moment of the Queued column: short (no year when it is this year's, no zone: the page names it
 * once under the table), the whole moment with its zone in the title.
 */
function Moment({ iso, zone }: { iso: string; zone: string }) {
  return (
    <time dateTime={iso} title={atMinute(iso, zone)}>
      {atMinuteShort(iso, zone)}
    </time>
  );
}

export function MessagesTable({ messages, statusLabels, pendingId, onResend }: MessagesTableProps) {
  const zone = useTimeZone();
  return (
    <table className="table messages-table">
      <caption className="visually-hidden">Messages, newest first</caption>
      <TableHead columns={['To', 'Meeting', 'Kind', 'Channel', 'Status', 'Queued']} />
      <tbody>
        {messages.map((d) => {
          const to = d.recipients.join(', ') || 'Nobody';
          // Offered only where the outbox would send it: never for one it would skip again (its meeting cancelled).
          const resendable = d.canResend;
          const channel = CHANNEL_LABELS[d.channel] ?? d.channel;
          return (
            <tr key={d.id}>
              <th scope="row" className="cell-name" data-label="To">
                {d.recipients.length ? (
                  <ul className="recipients">
                    {d.recipients.map((name, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: two participants may share a name
                      <li key={`${i}-${name}`}>
                        {name}
                        {d.notFound.includes(name) ? (
                          <span className="recipient-missed"> (not found on {channel})</span>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  to
                )}
              </th>
              <td data-label="Meeting">
                {d.meetingTitle ?? <span className="muted">—</span>}
                {d.groupName ? <span className="cell-sub">{d.groupName}</span> : null}
              </td>
              <td data-label="Kind">{KIND_LABELS[d.kind] ?? d.kind}</td>
              <td data-label="Channel">{channel}</td>
              <td data-label="Status" className="cell-status">
                <span className={`badge message-status-${d.status}`}>{statusLabels[d.status]}</span>
                {d.attempts ? (
                  <span className="cell-sub">
                    {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                  </span>
                ) : null}
                {d.lastError ? <span className="message-error">{d.lastError}</span> : null}
                {d.resendBlocked && d.resendBlocked !== d.lastError ? (
                  <span className="cell-sub">Not sent again: {d.resendBlocked}</span>
                ) : null}
              </td>
              <td data-label="Queued" className="cell-queued">
                <Moment iso={d.createdAt} zone={zone} />
                {d.sentAt ? (
                  <span className="cell-sub">
                    Sent <Moment iso={d.sentAt} zone={zone} />
                  </span>
                ) : null}
                {d.status === 'pending' ? (
                  <span className="cell-sub">
                    {d.attempts ? 'Next try' : 'Due'} <Moment iso={d.nextAttemptAt} zone={zone} />
                  </span>
                ) : null}
              </td>
              <td data-label="Actions" className="cell-actions">
                {resendable ? (
                  <Button
                    size="sm"
                    busy={pendingId === d.id}
                    disabled={pendingId !== null}
                    aria-label={`Resend to ${to}`}
                    onClick={() => onResend(d.id)}
                  >
                    Resend
                  </Button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
