import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyDraftCavage, verifyWithPublishedKey, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, note, received, startInboxWorld, type InboxWorld } from "./setup.ts";

/** Mastodon's Flag, as its server sends one when someone there reports what is ours. */
function flag(actor: FakeUser, objects: string[], content: string) {
  return {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${new URL(actor.id).origin}/${randomUUID()}`,
    type: "Flag",
    actor: actor.id,
    content,
    object: objects,
  };
}

/** federation/inbox/flag.ts and federation/outbox/reports.ts: reports from other servers, and forwarded to them. */
describe("inbox: Flag", () => {
  let world: InboxWorld;
  let mira: FakeUser;

  const reports = () => world.connexo.store.reports.list("open", 1000);

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto", "zed"]);
    mira = world.mastodon.user("mira");
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("keeps a report of our post, with what it said then and the note", async () => {
    await world.send(flag(mira, [world.aliceUri, world.weeknote.url], "This is spam."), mira);
    const report = await eventually(
      async () => (await reports()).find((r) => r.subjectUri === world.weeknote.url),
      15_000,
      "the report of the weeknote",
    );
    expect(report).toMatchObject({ subjectKind: "post", reporterUri: mira.id, reporterId: null, note: "This is spam.", state: "open" });
    expect(report.snapshot).toContain("<strong>answered</strong>");
    expect(report.communityId).toBe(world.team.id);
  });

  it("keeps a report of an account when the Flag names no post", async () => {
    const otto = world.mastodon.user("otto");
    await world.send(flag(otto, [world.aliceUri], "Impersonation."), otto);
    const report = await eventually(
      async () => (await reports()).find((r) => r.reporterUri === otto.id),
      15_000,
      "the report of the account",
    );
    expect(report).toMatchObject({ subjectKind: "account", subjectUri: world.aliceUri, note: "Impersonation." });
  });

  it("ignores a Flag that names nothing of ours", async () => {
    const zed = world.mastodon.user("zed");
    const before = (await reports()).length;
    await world.send(
      flag(zed, [`${world.mastodon.origin}/users/mira/statuses/1`, `${world.connexo.origin}/posts/${randomUUID()}`], "?"),
      zed,
    );
    await world.settled();
    expect((await reports()).length).toBe(before);
  });

  it("forwards a report of a reply from elsewhere as a signed Flag from the instance, to its author's server", async () => {
    const reply = note(mira, { inReplyTo: world.weeknote.url, content: "<p>Buy cheap things.</p>" });
    await world.send(create(mira, reply), mira);
    const uri = String(reply.id);
    await eventually(async () => (await world.connexo.store.interactions.findReplyByUri(uri)) !== null, 15_000, "the reply");
    const { services } = world.connexo;
    const report = await services.reports.report({
      subject: uri,
      category: "spam",
      note: "Selling things.",
      reporter: null,
      client: "test",
    });
    await services.actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: "a long enough password" });
    await services.actors.makeAdmin("ada");
    await services.reports.forward((await services.actors.find("ada"))!, report.id);

    const sent = await eventually(
      () => world.mastodon.signedPosts().find((p) => (JSON.parse(p.body) as { type?: string }).type === "Flag"),
      15_000,
      "the Flag",
    );
    const instanceUri = `${world.connexo.origin}/@instance`;
    expect(sent.path).toBe("/users/mira/inbox");
    const verified = await verifyWithPublishedKey(sent);
    expect(verified).toMatchObject({ ok: true, owner: instanceUri });
    expect(verifyDraftCavage({ ...sent, body: sent.body.replace("Selling", "Buying") }, mira.publicKeyPem).ok).toBe(false);
    const body = received(world.mastodon).find((a) => a.type === "Flag")!;
    expect(body.actor).toBe(instanceUri);
    expect(body.object).toEqual([mira.id, uri]);
    expect(body.content).toBe("Selling things.");
    // The administrator who forwarded it is not named: neither their address nor their name (a bare
    // "ada" may turn up in the ids and signatures, which are hexadecimal and base64).
    expect(JSON.stringify(body)).not.toContain(`${world.connexo.origin}/@ada`);
    expect(JSON.stringify(body)).not.toContain("Ada Admin");
  });
});
