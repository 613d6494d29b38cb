import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Post, RemoteActorInput } from "../../src/domain/types.ts";
import { createServices } from "../../src/services/index.ts";
import { ManualClock } from "../helpers/clock.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

const PASSWORD = "a long enough password";
const MINUTE = 60_000;

const someone = (name: string): RemoteActorInput => ({
  uri: `https://elsewhere.example/users/${name}`,
  type: "Person",
  handle: `@${name}@elsewhere.example`,
  name: `${name} Elsewhere`,
  url: `https://elsewhere.example/@${name}`,
  iconUrl: null,
  inbox: `https://elsewhere.example/users/${name}/inbox`,
  sharedInbox: null,
});

/**
 * The email digest of notifications, sent through a real SMTP server on
 * loopback while a clock is moved on: one message a person an hour at most,
 * listing only the kinds they chose that they have not seen nor been sent;
 * nothing for those without an address or who chose nothing, and nothing at
 * all without SMTP.
 */
describe("the hourly digest of notifications", () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 9, 0));
  let smtp: TestSmtpServer;
  let instance: RunningInstance;
  let alice: Actor;
  let bob: Actor;
  let carol: Actor;
  let n = 0;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    instance = await startInstance(
      { ...smtp.env, CONNEXO_INSTANCE_NAME: "Northshire Connexo" },
      { serve: false, worker: false, now: clock.now },
    );
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { actors, accountEmail, notifications } = instance.services;
    bob = await actors.createPerson({ handle: "bob", displayName: "Bob Here", password: PASSWORD });
    carol = await actors.createPerson({ handle: "carol", displayName: "Carol Here", password: PASSWORD });
    await actors.addMember("team", "bob", "member");
    await actors.addMember("team", "carol", "member");
    await accountEmail.change(alice, PASSWORD, "alice@council.example");
    await accountEmail.change(carol, PASSWORD, "carol@council.example");
    await notifications.chooseEmailKinds(alice, ["like", "reply"]);
    // Bob chose kinds but gave no address; carol gave an address but chose nothing.
    await notifications.chooseEmailKinds(bob, ["like", "reply", "mention"]);
  });
  afterAll(async () => {
    await instance?.stop();
    await smtp?.stop();
  });

  const publish = (author: Actor, title: string): Promise<Post> =>
    instance.services.weeknotes.publish("team", author, { title, summary: "About it.", body: "Text." });
  const like = (post: Post, who: string) => {
    clock.advance(1000);
    return instance.services.interactions.receiveReaction("like", `https://elsewhere.example/likes/${++n}`, post.id, someone(who));
  };
  const mention = (handle: string) =>
    instance.services.notifications.receiveMention([handle], {
      uri: `https://elsewhere.example/notes/${++n}`,
      url: null,
      author: someone("mo"),
    });
  const send = () => instance.services.notificationDigest.sendDue();

  it("sends one message listing what is new of the kinds chosen, with links, and marks it sent", async () => {
    expect(await send()).toBe(0);
    const post = await publish(alice, "Bins");
    await like(post, "r1");
    await like(post, "r2");
    await mention("alice");
    const bobs = await publish(bob, "Bob's week");
    await like(bobs, "r1");
    await mention("bob");
    await like(await publish(carol, "Carol's week"), "r1");

    expect(await send()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail!.recipients).toEqual(["alice@council.example"]);
    expect(mail!.subject).toBe("r2 Elsewhere and r1 Elsewhere liked your weeknote “Bins” – Northshire Connexo");
    expect(mail!.text).toContain(`${instance.origin}/posts/${post.id}`);
    expect(mail!.text).toContain(`${instance.origin}/notifications`);
    expect(mail!.text).toContain("at most one email an hour");
    // A mention is on her page, not in her email: she did not choose it.
    expect(mail!.text).not.toContain("mentioned");
    // Sent once: running again sends nothing.
    expect(await send()).toBe(0);
  });

  it("sends at most one an hour, with what came since, and nothing already seen", async () => {
    const post = await publish(alice, "Depot");
    clock.advance(20 * MINUTE);
    await like(post, "r3");
    expect(await send()).toBe(0);
    clock.advance(20 * MINUTE);
    await like(post, "r4");
    expect(await send()).toBe(0);
    expect(smtp.messages).toHaveLength(1);

    clock.advance(20 * MINUTE);
    expect(await send()).toBe(1);
    const mail = smtp.messages.at(-1)!;
    expect(mail.subject).toBe("r4 Elsewhere and r3 Elsewhere liked your weeknote “Depot” – Northshire Connexo");
    expect(mail.text).not.toContain("Bins");

    // Seen on the page before the hour is up: no email for it.
    clock.advance(61 * MINUTE);
    await like(post, "r5");
    await instance.services.notifications.page(alice);
    expect(await send()).toBe(0);
    expect(smtp.messages).toHaveLength(2);
  });

  it("sends nothing without SMTP, and keeps what is due for when it can", async () => {
    clock.advance(61 * MINUTE);
    const post = await publish(alice, "Quiet");
    await like(post, "r6");
    const withoutMail = createServices(instance.store, { origin: instance.origin, now: clock.now });
    expect(await withoutMail.notificationDigest.sendDue()).toBe(0);
    expect(smtp.messages).toHaveLength(2);
    expect((await withoutMail.notifications.settings(alice)).emailOffered).toBe(false);

    // A mail server refusing it: told, and tried again an hour on.
    smtp.refusing = true;
    expect(await send()).toBe(0);
    expect(smtp.refused).toBe(1);
    smtp.refusing = false;
    expect(await send()).toBe(0);
    clock.advance(60 * MINUTE);
    expect(await send()).toBe(1);
    expect(smtp.messages.at(-1)!.subject).toBe("r6 Elsewhere liked your weeknote “Quiet” – Northshire Connexo");
  });

  it("lists several kinds in one message", async () => {
    clock.advance(61 * MINUTE);
    const post = await publish(alice, "Mixed");
    await like(post, "r7");
    await instance.services.interactions.reply(bob, `${instance.origin}/posts/${post.id}`, "Nice one");
    expect(await send()).toBe(1);
    const mail = smtp.messages.at(-1)!;
    expect(mail.subject).toBe("2 new notifications – Northshire Connexo");
    expect(mail.text).toContain("r7 Elsewhere liked your weeknote “Mixed”");
    expect(mail.text).toContain("Bob Here replied to your weeknote “Mixed”");
    expect(smtp.messages.every((m) => m.recipients.join() === "alice@council.example")).toBe(true);
  });
});
