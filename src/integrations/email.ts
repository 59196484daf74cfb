import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: { name: string; email: string };
  cc: Array<{ name: string; email: string }>;
  subject: string;
  text: string;
  html: string;
  /** Stable per message, so a receiving server (or a person) can recognise a repeat. */
  messageId: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** Thrown for an answer that retrying cannot change (5xx: no such mailbox, refused). */
export class PermanentMailError extends Error {}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[] }>;
  close(): void;
}

/** SMTP through nodemailer, configured by URL (smtp://user:pass@host:port or smtps://…). */
export function smtpMailer(props: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer {
  const url = new URL(props.smtpUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // One connection per message: nothing stays open between outbox runs.
    pool: false,
    connectionTimeout: props.timeoutMs ?? 15_000,
    greetingTimeout: props.timeoutMs ?? 15_000,
    socketTimeout: props.timeoutMs ?? 30_000,
  });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: props.from,
          to: { name: mail.to.name, address: mail.to.email },
          cc: mail.cc.map((c) => ({ name: c.name, address: c.email })),
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          ...(mail.calendar
            ? {
                icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content },
              }
            : {}),
        });
        return {
          messageId: info.messageId,
          accepted: (info.accepted as Array<string | { address: string }>).map(String),
        };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code && code >= 500) throw new PermanentMailError((error as Error).message);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
