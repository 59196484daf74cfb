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
  /** Address → how many more times it is answered 451 (try again later); Infinity: until cleared. */
  readonly defer = new Map<string, number>();
  /**
   * Addresses whose RCPT TO is not answered until `release()`: the outbox row stays 'sending' with
   * its freshness check already passed (a worker in the middle of sending).
   */
  readonly holdFor = new Set<string>();
  private held: Array<() => void> = [];
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
      const to = address.address.toLowerCase();
      // Judged when answered: a held recipient deferred meanwhile is answered 451 on release.
      const answer = () => {
        const deferred = this.defer.get(to) ?? 0;
        if (deferred > 0) {
          this.defer.set(to, deferred - 1);
          const error = new Error('Mailbox busy, try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          return callback(error);
        }
        if (this.refuse.has(to)) {
          const error = new Error('No such mailbox') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      };
      if (this.holdFor.has(to)) this.held.push(answer);
      else answer();
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

  get heldCount(): number {
    return this.held.length;
  }

  /** Answers every held recipient, and holds no more. */
  release(): void {
    this.holdFor.clear();
    for (const go of this.held.splice(0)) go();
  }

  /** What the mails sent to this address were, in order: intro, cancel, removed, reminder or the subject. */
  kindsTo(address: string): string[] {
    return this.mails
      .filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()))
      .map((m) => m.subject ?? '')
      .map((s) =>
        s.startsWith('New meeting:')
          ? 'intro'
          : s.startsWith('Cancelled:')
            ? 'cancel'
            : s.startsWith('You were removed')
              ? 'removed'
              : s.startsWith('Starting soon')
                ? 'reminder'
                : s,
      );
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    this.port = address.port;
    return this;
  }

  stop(): Promise<void> {
    this.release();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
