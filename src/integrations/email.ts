import type { Transporter } from 'nodemailer';
import { redact } from '../lib/redact.js';
import { describeFor, SMTP_URL, type UrlProblem, urlProblem } from '../lib/serviceUrl.js';

export interface OutgoingMail {
  to: { name: string; email: string };
  cc: Array<{ name: string; email: string }>;
  /** Where a reply goes: the other participants, so "Reply" reaches the people to meet. */
  replyTo?: Array<{ name: string; email: string }>;
  /** The page where the reader turns these messages off (sent as List-Unsubscribe). */
  unsubscribeUrl?: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per message, so a receiving server (or a person) can recognise a repeat. */
  messageId: string;
  calendar?: { method: 'REQUEST' | 'CANCEL'; content: string };
}

/** Thrown for an answer that retrying cannot change (5xx: no such mailbox, refused). */
export class PermanentMailError extends Error {}

/** The SMTP URL cannot be used; the message says why without quoting the URL (it holds the password). */
export class MailSettingsError extends Error {
  constructor(readonly problem: UrlProblem) {
    const sentence = describeFor('SMTP URL', problem);
    super(`${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`);
    this.name = 'MailSettingsError';
  }
}

export interface Mailer {
  /** Resolves when the server took the message for at least one address; `rejected` lists the others. */
  send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[]; rejected: string[] }>;
  close(): void;
}

const addresses = (list: unknown): string[] =>
  ((list ?? []) as Array<string | { address: string }>).map((a) => (typeof a === 'string' ? a : a.address));

/** SMTP through nodemailer, configured by URL (smtp://user:pass@host:port or smtps://…). */
export function smtpMailer(props: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer {
  // new URL() would throw a TypeError whose `input` is the whole URL, password included, and
  // loggers print that property: check first, and describe the fault without the value.
  const problem = urlProblem(props.smtpUrl, SMTP_URL);
  if (problem) throw new MailSettingsError(problem);
  const url = new URL(props.smtpUrl);
  const secrets = [url.password, decodeURIComponent(url.password)];
  // nodemailer is loaded on the first message, not at start: most commands never send one.
  let transport: Promise<Transporter> | undefined;
  const connect = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options)));
  const options = {
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
  };
  return {
    async send(mail) {
      try {
        const info = await (await connect()).sendMail({
          from: props.from,
          to: { name: mail.to.name, address: mail.to.email },
          cc: mail.cc.map((c) => ({ name: c.name, address: c.email })),
          ...(mail.replyTo?.length ? { replyTo: mail.replyTo.map((r) => ({ name: r.name, address: r.email })) } : {}),
          ...(mail.unsubscribeUrl ? { list: { unsubscribe: mail.unsubscribeUrl } } : {}),
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
          accepted: addresses(info.accepted),
          rejected: addresses(info.rejected),
        };
      } catch (error) {
        // A fresh error with a scrubbed message: nodemailer's own carries the SMTP exchange and
        // connection details, and whatever is thrown here may be logged or stored.
        const code = (error as { responseCode?: number }).responseCode;
        const message = redact(error instanceof Error ? error.message : String(error), secrets);
        if (code && code >= 500) throw new PermanentMailError(message);
        throw new Error(message);
      }
    },
    close: () => void transport?.then((open) => open.close()),
  };
}
