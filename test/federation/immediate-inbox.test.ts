import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/database.ts";
import { deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { announce, create, follow, like, note } from "./inbox/setup.ts";

/**
 * src/web/immediate-inbox.ts: cheap activities signed by their own actor are
 * handled before the inbox answers; the rest wait in the queue. The instance
 * here works no queue, so what is queued stays there to be seen.
 */
describe("an inbox handles cheap activities while their sender waits", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let elsewhere: FakeMastodon;
  let mira: FakeUser;
  let otto: FakeUser;
  let weeknote: { id: string; url: string };
  const inbox = () => `${connexo.origin}/inbox`;
  const queued = async (kind: string) =>
    (
      await queryRows<{ n: number }>(
        connexo.database,
        "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify' AND payload LIKE ?",
        [`{"type":"${kind}"%`],
      )
    )[0]!.n;

  beforeAll(async () => {
    [connexo, mastodon, elsewhere] = await Promise.all([
      startInstance({}, { worker: false }),
      FakeMastodon.start(["mira", "otto"]),
      FakeMastodon.start(["ned"]),
    ]);
    [mira, otto] = [mastodon.user("mira"), mastodon.user("otto")];
    const { person: alice } = await seedCommunity(connexo, { person: "alice", community: "team" });
    const post = await connexo.services.weeknotes.publish("team", alice, { title: "Week 49", summary: "What we did.", body: "Things." });
    weeknote = { id: post.id, url: `${connexo.origin}/posts/${post.id}` };
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close(), elsewhere?.close()]);
  });

  it("has a Like counted and a reply stored by the time it answers, with nothing queued", async () => {
    expect((await deliver(inbox(), like(mira, weeknote.url), mira)).status).toBe(202);
    expect(await connexo.store.interactions.reactors(weeknote.id, "like")).toEqual([mira.id]);
    // mira was new here: fetched for her key (…#main-key), then read from the cache as the Like's actor.
    expect(mastodon.gets.filter((path) => path === new URL(mira.id).pathname)).toHaveLength(1);
    const reply = note(mira, { inReplyTo: weeknote.url, content: "<p>Useful, thanks.</p>" });
    expect((await deliver(inbox(), create(mira, reply), mira)).status).toBe(202);
    expect(await connexo.store.interactions.countReplies(weeknote.id, ["visible", "held"])).toBe(1);
    expect(await queued("inbox")).toBe(0);
  });

  it("queues a Follow: answering it costs more than the queue's round trip saves", async () => {
    expect((await deliver(inbox(), follow(otto, `${connexo.origin}/@team`), otto)).status).toBe(202);
    expect(await queued("inbox")).toBe(1);
    // Its signature was checked once, by the screen, which found otto's key: the listener compares otto with its actor.
    const [message] = await queryRows<{ payload: string }>(connexo.database, "SELECT payload FROM queue_messages WHERE queue = 'fedify'");
    expect(JSON.parse(message!.payload)).toMatchObject({ type: "inbox", connexoSignedBy: otto.id });
    const followers = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM followers");
    expect(followers[0]!.n).toBe(0);
  });

  it("queues what may need other servers (an Announce)", async () => {
    const before = await queued("inbox");
    expect((await deliver(inbox(), announce(otto, weeknote.url), otto)).status).toBe(202);
    expect(await queued("inbox")).toBe(before + 1);
    expect(await connexo.store.interactions.countReactions(weeknote.id)).toEqual({ likes: 1, announces: 0 });
  });

  it("leaves an activity signed by someone other than its actor to Fedify's own checks, which refuse it, whether or not it would be queued", async () => {
    const before = await queued("inbox");
    const forwarded = await deliver(inbox(), follow(mira, `${connexo.origin}/@team`), mira, { signAs: otto });
    expect(forwarded.status).toBe(401);
    expect(await queued("inbox")).toBe(before);
  });

  it("leaves an activity signed by someone other than its actor to Fedify's own checks, which refuse it", async () => {
    const before = await queued("inbox");
    const response = await deliver(inbox(), like(mira, `${weeknote.url}?again`), mira, { signAs: otto });
    expect(response.status).toBe(401);
    expect(await queued("inbox")).toBe(before);
    expect(await connexo.store.interactions.reactors(weeknote.id, "like")).toEqual([mira.id]);
  });

  it("drops an activity whose context makes its actor someone other than the key's owner", async () => {
    // The JSON's own "actor" names the signer, but the context unmaps it, and as:actor names otto instead.
    const forged = {
      ...like(mira, `${weeknote.url}#forged`),
      "@context": ["https://www.w3.org/ns/activitystreams", { actor: null }],
      "as:actor": { "@id": otto.id },
    };
    expect((await deliver(inbox(), forged, mira)).status).toBe(202);
    expect(await connexo.store.interactions.reactors(weeknote.id, "like")).toEqual([mira.id]);
  });

  it("refuses a key whose document names an owner on another server", async () => {
    const ned = elsewhere.user("ned");
    const keyPath = "/keys/claimed";
    // ned's server publishes ned's key, claiming that it is mira's.
    elsewhere.routes.set(keyPath, (_req, res) => {
      res.writeHead(200, { "content-type": "application/activity+json" });
      res.end(
        JSON.stringify({
          "@context": "https://w3id.org/security/v1",
          id: `${elsewhere.origin}${keyPath}`,
          type: "CryptographicKey",
          owner: mira.id,
          publicKeyPem: ned.publicKeyPem,
        }),
      );
    });
    const claimed = { ...ned, keyId: `${elsewhere.origin}${keyPath}` };
    const response = await deliver(inbox(), like(mira, `${weeknote.url}?claimed`), mira, { signAs: claimed });
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/owner on another server/);
  });
});
