import { type AddressObject, type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./instance.ts";

/** A message the test server took, as mailparser reads it, with the envelope it came in. */
export interface ReceivedMail {
  /** RCPT TO addresses. */
  recipients: string[];
  /** Who signed in to send it; null without authentication. */
  user: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  port: number;
  /** Every message taken, in order. */
  messages: ReceivedMail[];
  /** The instance settings that send to this server (plain SMTP on loopback). */
  env: Record<string, string>;
  /** While true, the server refuses every message (550), as a failing mail service would. */
  refusing: boolean;
  /** How many messages it refused. */
  readonly refused: number;
  stop(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) => [value ?? []].flat().map((a) => a.text);

/**
 * A real SMTP server on 127.0.0.1, on a free port, that keeps what it is
 * sent. With `auth`, clients must sign in with that user and password (no TLS:
 * it is loopback); without, anyone may send.
 */
export async function startSmtpServer(options: { auth?: { user: string; password: string } } = {}): Promise<TestSmtpServer> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  const state = { refusing: false, refused: 0 };
  const server = new SMTPServer({
    logger: false,
    secure: false,
    disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = options.auth && auth.username === options.auth.user && auth.password === options.auth.password;
      callback(ok ? null : new Error("Invalid username or password"), ok ? { user: auth.username } : undefined);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (state.refusing) {
            state.refused++;
            callback(Object.assign(new Error("Mailbox unavailable"), { responseCode: 550 }));
            return;
          }
          messages.push({
            recipients: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === "string" ? session.user : null,
            from: addresses(parsed.from).join(", "),
            to: addresses(parsed.to).join(", "),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            parsed,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    messages,
    env: {
      CONNEXO_SMTP_HOST: "127.0.0.1",
      CONNEXO_SMTP_PORT: String(port),
      CONNEXO_SMTP_TLS: "none",
      CONNEXO_MAIL_FROM: "Connexo <no-reply@council.example>",
      ...(options.auth ? { CONNEXO_SMTP_USER: options.auth.user, CONNEXO_SMTP_PASSWORD: options.auth.password } : {}),
    },
    get refusing() {
      return state.refusing;
    },
    set refusing(value: boolean) {
      state.refusing = value;
    },
    get refused() {
      return state.refused;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message's text that starts with this origin. */
export function linkIn(mail: ReceivedMail, origin: string): string {
  const link = mail.text.split(/\s+/).find((word) => word.startsWith(`${origin}/`));
  if (!link) throw new Error(`no link to ${origin} in: ${mail.text}`);
  return link;
}
