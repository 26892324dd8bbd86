import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as the client sent it. */
  raw: string;
  /** Headers by lower-case name (unfolded); the body after the blank line. */
  headers: Record<string, string>;
  body: string;
  /** The user that logged in, if any. */
  user: string | null;
  secure: boolean;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Recipients answered with this reply code (e.g. 550 to refuse, 451 to defer). */
  refuse: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message: the
 * email tests' mail relay. `login` requires AUTH with those credentials; `starttls` offers
 * STARTTLS with the package's built-in test certificate (self-signed, so clients must not verify).
 */
export async function startSmtpSink(
  options: { login?: { user: string; pass: string }; starttls?: boolean } = {},
): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const refuse = new Map<string, number>();
  const server = new SMTPServer({
    logger: false,
    authOptional: !options.login,
    allowInsecureAuth: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    onAuth(auth, _session, callback) {
      const ok =
        options.login && auth.username === options.login.user && auth.password === options.login.pass;
      if (!ok)
        return callback(
          Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }),
        );
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      const code = refuse.get(address.address);
      if (code)
        return callback(
          Object.assign(new Error(`mailbox ${address.address} refused`), { responseCode: code }),
        );
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
        const headers: Record<string, string> = {};
        for (const line of head.split('\r\n')) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          body: raw.slice(split + 4),
          user: (session.user as string | undefined) ?? null,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, refuse, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
