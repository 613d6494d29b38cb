import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { FORGOTTEN_PASSWORD_LIMIT } from "../../src/services/forgotten-passwords.ts";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { eventually, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { linkIn, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };
const ON_ITS_WAY = /If an account matches, a link to choose a new password is on its way to its email address\. It works for 24 hours\./;

/**
 * "Forgot your password?" (`/password-reset`): a reset link emailed, through
 * a real SMTP server on loopback, to the address a person gave; the same
 * answer whether an account matched or not.
 */
describe("forgot password, by email", () => {
  let smtp: TestSmtpServer;
  let instance: RunningInstance;
  let ahead = 0;
  let ada: Actor;
  /** Each test asks from an address of its own, so that the per-client limit is one test's business. */
  let clients = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    instance = await startInstance(
      { ...smtp.env, CONNEXO_TRUST_PROXY: "true", CONNEXO_INSTANCE_NAME: "Northshire Connexo" },
      { serve: false, worker: false, now: () => Date.now() + ahead },
    );
    const { actors, accountEmail } = instance.services;
    for (const handle of ["ada", "bo", "cy", "di", "ed", "fay"]) {
      await actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
    }
    ada = (await actors.find("ada"))!;
    await accountEmail.change(ada, PASSWORD, "Ada.Lovelace@Council.example");
    await accountEmail.change((await actors.find("cy"))!, PASSWORD, "cy@council.example");
    await accountEmail.change((await actors.find("di"))!, PASSWORD, "di@council.example");
    await accountEmail.change((await actors.find("ed"))!, PASSWORD, "ed@council.example");
    await accountEmail.change((await actors.find("fay"))!, PASSWORD, "fay@council.example");
    await actors.createPerson({ handle: "gwen", displayName: "Gwen", password: PASSWORD });
    await actors.makeAdmin("gwen");
    await actors.deactivate((await actors.find("gwen"))!, "di");
  });
  afterAll(async () => {
    await instance?.stop();
    await smtp?.stop();
  });

  /** A visitor on a client address of their own, with the form's token. */
  async function visitor() {
    const client = new WebClient(instance, instance.origin);
    const address = { "x-forwarded-for": `192.0.2.${++clients}` };
    await client.get("/password-reset", { ...HTML, ...address });
    return {
      client,
      ask: (account: string, fields: Record<string, string> = {}) => client.post("/password-reset", { account, ...fields }, address),
    };
  }

  /** The messages that arrive once this one has: those asked for before it, if any, have arrived by then (one connection at a time). */
  async function sentinel(): Promise<void> {
    const before = smtp.messages.length;
    const { ask } = await visitor();
    await ask("ed");
    await eventually(() => smtp.messages.length > before && smtp.messages.some((m) => m.recipients.includes("ed@council.example")));
    const last = smtp.messages.findLastIndex((m) => m.recipients.includes("ed@council.example"));
    smtp.messages.splice(last, 1);
  }

  it("is linked from the sign-in page, and offers a form", async () => {
    const signIn = page(await (await new WebClient(instance, instance.origin).get("/sign-in", HTML)).text());
    expect(signIn.attr('a[href="/password-reset"]', "href")).toBe("/password-reset");
    expect(signIn.text('a[href="/password-reset"]')).toBe("Forgot your password?");
    const form = page(await (await new WebClient(instance, instance.origin).get("/password-reset", HTML)).text());
    expect(form.attr("form[action='/password-reset']", "method")).toBe("post");
    expect(form.count("input[name=account]")).toBe(1);
  });

  it("emails a link to the person's address, which sets a new password and signs them in", async () => {
    const before = smtp.messages.length;
    const { ask } = await visitor();
    const asked = await ask("@Ada");
    expect(asked.status).toBe(200);
    expect(page(await asked.text()).text("main")).toMatch(ON_ITS_WAY);

    const mail = await eventually(() => smtp.messages[before], 15_000, "the reset message");
    expect(mail.recipients).toEqual(["ada.lovelace@council.example"]);
    expect(mail.to).toBe("ada.lovelace@council.example");
    expect(mail.parsed.from?.value).toEqual([{ address: "no-reply@council.example", name: "Connexo" }]);
    expect(mail.subject).toBe("Choose a new password for Northshire Connexo");
    expect(mail.text).toContain("@ada on Northshire Connexo");
    // Its time is told in the instance's time zone (Europe/London), labelled, as on its pages.
    expect(mail.text).toMatch(/until \d{1,2} \w+ \d{4} at \d\d:\d\d (GMT|BST)\./);
    expect(mail.parsed.html).toBe(false);
    const link = linkIn(mail, instance.origin);
    expect(new URL(link).pathname).toMatch(/^\/password-reset\/[^/]+$/);
    // Asked for by the person, made by no administrator.
    const resets = await queryRows<{ created_by: number | null }>(instance.database, "SELECT created_by FROM password_resets");
    expect(resets).toEqual([{ created_by: null }]);

    const person = new WebClient(instance, instance.origin);
    const form = await person.get(new URL(link).pathname, HTML);
    expect(page(await form.text()).text("main")).toContain("@ada");
    const set = await person.post(new URL(link).pathname, { password: "ada's new long password" });
    expect(page(await set.text()).text("h1")).toBe("Password changed");
    await person.signIn("ada", "ada's new long password");
    // It works once.
    expect((await person.get(new URL(link).pathname, HTML)).status).toBe(404);
  });

  it("finds the account by its email address too, whatever its case", async () => {
    const before = smtp.messages.length;
    const { ask } = await visitor();
    expect((await ask("  ADA.lovelace@council.EXAMPLE ")).status).toBe(200);
    const mail = await eventually(() => smtp.messages[before], 15_000, "the reset message");
    expect(mail.recipients).toEqual(["ada.lovelace@council.example"]);
  });

  it("answers the same to an unknown handle or address, an account without an address and a deactivated one, and sends nothing", async () => {
    const { ask } = await visitor();
    const known = page(await (await ask("cy")).text()).text("main");
    await eventually(() => smtp.messages.some((m) => m.recipients.includes("cy@council.example")));
    const before = smtp.messages.length;
    for (const account of ["nobody", "nobody@council.example", "bo", "di", "di@council.example", "not an address@"]) {
      const answer = await (await visitor()).ask(account);
      expect(answer.status, account).toBe(200);
      expect(page(await answer.text()).text("main"), account).toBe(known);
    }
    await sentinel();
    expect(smtp.messages.slice(before)).toEqual([]);
  });

  it("asks for the field when it is left empty", async () => {
    const { ask } = await visitor();
    const empty = await ask("  ");
    expect(empty.status).toBe(400);
    expect(page(await empty.text()).text(".error-summary")).toContain("Your handle or email address");
  });

  it("refuses a request without its anti-forgery token", async () => {
    const before = smtp.messages.length;
    const { ask } = await visitor();
    expect((await ask("cy", { _csrf: "" })).status).toBe(403);
    await sentinel();
    expect(smtp.messages.length).toBe(before);
  });

  it("limits requests naming one account and from one client, with the same answer and 429 beyond", async () => {
    const before = smtp.messages.length;
    // From several addresses, naming one account.
    for (let i = 0; i < FORGOTTEN_PASSWORD_LIMIT.perAccount; i++) expect((await (await visitor()).ask("fay")).status).toBe(200);
    const tooMany = await (await visitor()).ask("fay");
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(page(await tooMany.text()).text("main")).toMatch(ON_ITS_WAY);
    await eventually(() => smtp.messages.length >= before + FORGOTTEN_PASSWORD_LIMIT.perAccount);
    // By its address, a different thing typed: answered, but no more links go to that account this hour.
    expect((await (await visitor()).ask("fay@council.example")).status).toBe(200);
    await sentinel();
    expect(smtp.messages.length).toBe(before + FORGOTTEN_PASSWORD_LIMIT.perAccount);
    expect(smtp.messages.slice(before).every((m) => m.recipients[0] === "fay@council.example")).toBe(true);

    // From one address, naming many accounts.
    const { ask } = await visitor();
    for (let i = 0; i < FORGOTTEN_PASSWORD_LIMIT.perClient; i++) expect((await ask(`someone${i}`)).status).toBe(200);
    expect((await ask("cy")).status).toBe(429);

    // An hour later, both may ask again.
    ahead += (FORGOTTEN_PASSWORD_LIMIT.windowMinutes + 1) * 60_000;
    try {
      expect((await ask("ada")).status).toBe(200);
    } finally {
      ahead = 0;
    }
  });

  it("answers the same when the mail server refuses the message, and the person can ask again", async () => {
    const before = smtp.messages.length;
    smtp.refusing = true;
    try {
      const { ask } = await visitor();
      const answer = await ask("cy");
      expect(answer.status).toBe(200);
      expect(page(await answer.text()).text("main")).toMatch(ON_ITS_WAY);
      // The message leaves after the answer.
      await eventually(() => smtp.refused > 0, 15_000, "the refusal");
    } finally {
      smtp.refusing = false;
    }
    expect(smtp.messages.length).toBe(before);
    const { ask } = await visitor();
    await ask("cy");
    await eventually(() => smtp.messages.length > before);
    expect(smtp.messages[before]!.recipients).toEqual(["cy@council.example"]);
  });

  it("emails an administrator's reset link to the person when they gave an address, and shows it to pass on when not", async () => {
    await instance.services.actors.createPerson({ handle: "hal", displayName: "Hal Admin", password: PASSWORD });
    await instance.services.actors.makeAdmin("hal");
    const hal = new WebClient(instance, instance.origin);
    await hal.signIn("hal", PASSWORD);
    await hal.get("/admin", HTML);
    const sent = page(await (await hal.post("/admin/people/cy/password-reset", {})).text());
    expect(sent.text(".lede")).toContain("The link is sent to cy Example's email address.");
    // The very link shown reaches cy (earlier tests' links to cy may still be arriving: they are not this one).
    const link = sent.value("#reset-link");
    await eventually(
      () => smtp.messages.some((m) => m.recipients.includes("cy@council.example") && linkIn(m, instance.origin) === link),
      15_000,
      "the link to cy",
    );

    await hal.get("/admin", HTML);
    const shown = page(await (await hal.post("/admin/people/bo/password-reset", {})).text());
    expect(shown.text(".lede")).toContain("Send this link to bo Example by a way you trust.");
  });
});

describe("forgot password, without email", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await instance.services.actors.createPerson({ handle: "ada", displayName: "Ada", password: PASSWORD });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("says to ask an administrator, and offers no form", async () => {
    const client = new WebClient(instance, instance.origin);
    const signIn = page(await (await client.get("/sign-in", HTML)).text());
    expect(signIn.text('a[href="/password-reset"]')).toBe("Forgot your password?");
    const forgot = page(await (await client.get("/password-reset", HTML)).text());
    expect(forgot.text("main")).toContain("Ask an administrator of Connexo");
    expect(forgot.count("form[action='/password-reset']")).toBe(0);
    expect(forgot.count("input[name=account]")).toBe(0);
    const posted = await client.post("/password-reset", { account: "ada" });
    expect(posted.status).toBe(404);
    expect(page(await posted.text()).count("input[name=account]")).toBe(0);
  });
});
