import type { Transporter } from "nodemailer";
import type { SmtpSettings } from "../config/config.ts";

/** One message as the services hand it over (the shape of services' `MailMessage`). */
interface Message {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Sends the services' email through an SMTP server with nodemailer. One
 * connection at a time is enough: a public body's instance sends a few
 * messages an hour. Time limits keep a silent server from holding a request.
 * nodemailer is loaded with the first message, not at start.
 */
export class SmtpMailer {
  readonly #settings: SmtpSettings;
  #transport: Promise<Transporter> | null = null;

  constructor(settings: SmtpSettings) {
    this.#settings = settings;
  }

  #transporter(): Promise<Transporter> {
    const settings = this.#settings;
    this.#transport ??= import("nodemailer").then(
      ({ createTransport }) =>
        createTransport({
          host: settings.host,
          port: settings.port,
          secure: settings.tls === "tls",
          // With STARTTLS, refuse a server that does not offer it rather than send in the clear.
          requireTLS: settings.tls === "starttls",
          ignoreTLS: settings.tls === "none",
          auth: settings.auth ? { user: settings.auth.user, pass: settings.auth.password } : undefined,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        }),
      (error: unknown) => {
        this.#transport = null;
        throw error;
      },
    );
    return this.#transport;
  }

  async send(message: Message): Promise<void> {
    const transport = await this.#transporter();
    await transport.sendMail({
      from: this.#settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html ? { html: message.html } : {}),
    });
  }

  close(): void {
    const transport = this.#transport;
    this.#transport = null;
    void transport?.then((t) => t.close()).catch(() => {});
  }
}
