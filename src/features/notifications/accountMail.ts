import type { Config } from '../../config.js';
import type { Executor } from '../../db/database.js';
import { smtpMailer } from '../../integrations/email.js';
import { newId } from '../../lib/ids.js';
import { loadChannels } from './channels.js';
import { button, emailDocument, escapeHtml, row } from './emailLayout.js';
import { mailDomain } from './invitation.js';

/**
 * Account e-mails: an invitation, a password-reset link, an address to confirm. They go straight to
 * the SMTP server configured for the e-mail channel, not through the outbox: the link carries a
 * secret that is stored only hashed, and an outbox row would keep it in the clear (and show it on
 * the Messages page). A failure is the caller's to report (the admin sees it; a reset request
 * answers the same either way).
 */
export interface AccountMail {
  to: { name: string; email: string };
  subject: string;
  /** Paragraphs of plain text, before and after the button. */
  lines: string[];
  action: { label: string; url: string };
  after?: string[];
}

async function emailSettings(db: Executor, config: Config): Promise<{ smtpUrl: string; from: string } | null> {
  const email = (await loadChannels(db)).find((channel) => channel.channel === 'email');
  if (!email?.enabled || !email.secrets.smtpUrl) return null;
  return { smtpUrl: email.secrets.smtpUrl, from: email.settings.from ?? config.notifications.email.from };
}

/** Whether account e-mails can be sent (the e-mail channel is on and has a server). */
export async function accountMailConfigured(db: Executor, config: Config): Promise<boolean> {
  return (await emailSettings(db, config)) !== null;
}

/** Sends one account e-mail; throws when e-mail is not configured or the server refuses it. */
export async function sendAccountMail(db: Executor, config: Config, mail: AccountMail): Promise<void> {
  const settings = await emailSettings(db, config);
  if (!settings) throw new Error('E-mail is not configured (Admin → Channels → E-mail).');
  const mailer = smtpMailer({ ...settings, timeoutMs: 10_000 });
  const after = mail.after ?? [];
  try {
    const sent = await mailer.send({
      to: mail.to,
      cc: [],
      subject: mail.subject,
      text: [...mail.lines, `${mail.action.label}: ${mail.action.url}`, ...after].join('\n\n'),
      html: emailDocument({
        title: mail.subject,
        rows: [
          ...mail.lines.map((line) => row(escapeHtml(line))),
          row(button(mail.action.url, mail.action.label), '12px 24px'),
          ...after.map((line) => row(escapeHtml(line))),
        ],
        footer: escapeHtml('You receive this message because of your account on Convene.'),
      }),
      messageId: `<${newId()}@${mailDomain(settings.from)}>`,
    });
    if (sent.rejected.length) throw new Error(`The mail server refused ${sent.rejected.join(', ')}.`);
  } finally {
    mailer.close();
  }
}
