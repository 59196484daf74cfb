import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process: accepts every message (or refuses recipients on demand)
 * and keeps each one parsed — subject, text, HTML, attachments (the .ics), recipients.
 */
export class TestSmtp {
  readonly mails: ParsedMail[] = [];
  /** Addresses answered with 550 (no such mailbox). */
  readonly refuse = new Set<string>();
  /** The next N connections are dropped (a server that is briefly down). */
  dropNext = 0;
  /** Address → how many more times it is answered 451 (try again later). */
  readonly defer = new Map<string, number>();
  port = 0;
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect: (_session, callback) => {
      if (this.dropNext > 0) {
        this.dropNext--;
        const error = new Error('Try again later') as Error & { responseCode: number };
        error.responseCode = 421;
        return callback(error);
      }
      callback();
    },
    onRcptTo: (address, _session, callback) => {
      const deferred = this.defer.get(address.address.toLowerCase()) ?? 0;
      if (deferred > 0) {
        this.defer.set(address.address.toLowerCase(), deferred - 1);
        const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      if (this.refuse.has(address.address.toLowerCase())) {
        const error = new Error('No such mailbox') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.port = address.port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
