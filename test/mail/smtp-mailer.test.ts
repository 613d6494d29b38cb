import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type SmtpSettings } from "../../src/config/config.ts";
import { SmtpMailer } from "../../src/mail/smtp-mailer.ts";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

/** The SMTP mailer against a real server on loopback that asks for a user and password and offers no STARTTLS. */
describe("the SMTP mailer", () => {
  let smtp: TestSmtpServer;
  const auth = { user: "connexo", password: "smtp secret" };
  const settings = (env: Record<string, string> = {}): SmtpSettings => loadConfig({ ...smtp.env, ...env }).smtp!;

  beforeAll(async () => {
    smtp = await startSmtpServer({ auth });
  });
  afterAll(async () => {
    await smtp?.stop();
  });

  async function send(mailer: SmtpMailer, to: string) {
    try {
      await mailer.send({ to, subject: "Hello", text: "One line.\nAnother." });
    } finally {
      mailer.close();
    }
  }

  it("signs in and sends a plain-text message from the configured sender", async () => {
    await send(new SmtpMailer(settings()), "someone@council.example");
    const mail = smtp.messages.at(-1)!;
    expect(mail.user).toBe("connexo");
    expect(mail.recipients).toEqual(["someone@council.example"]);
    expect(mail.parsed.from?.value).toEqual([{ address: "no-reply@council.example", name: "Connexo" }]);
    expect(mail.subject).toBe("Hello");
    expect(mail.text.trim()).toBe("One line.\nAnother.");
  });

  it("fails when the server refuses the sign-in", async () => {
    const before = smtp.messages.length;
    await expect(send(new SmtpMailer(settings({ CONNEXO_SMTP_PASSWORD: "wrong" })), "someone@council.example")).rejects.toThrow();
    expect(smtp.messages.length).toBe(before);
  });

  it("with STARTTLS asked for, refuses to send in the clear to a server that does not offer it", async () => {
    const before = smtp.messages.length;
    await expect(send(new SmtpMailer(settings({ CONNEXO_SMTP_TLS: "starttls" })), "someone@council.example")).rejects.toThrow();
    expect(smtp.messages.length).toBe(before);
  });
});
