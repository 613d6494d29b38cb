/** One email: plain text always (every mail program shows it), HTML optionally. */
export interface MailMessage {
  /** One recipient's address. */
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * How services send email. The instance builds one from its SMTP settings
 * (`src/mail/smtp-mailer.ts`); without them there is none, and services fall
 * back to what they did before email (links shown to an administrator).
 * `send` resolves once the server accepted the message, and rejects if it
 * did not.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** What services do when a message could not be sent: the caller has already answered, so it is only told (logged). */
export type MailFailureHandler = (error: unknown, message: Pick<MailMessage, "subject">) => void;
