import { generateKeyPairSync } from "node:crypto";
import type { MessageQueue } from "@fedify/fedify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { DirectDelivery, withDirectDelivery } from "../../federation/http/delivery.ts";
import type { VerdictQueue } from "../../federation/queue.ts";
import { ManualClock } from "../helpers/clock.ts";
import { queryRows } from "../helpers/database.ts";
import { deliver, FakeMastodon, verifyDraftCavage } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaJwk = privateKey.export({ format: "jwk" });
const publicKeyPem = publicKey.export({ type: "spki", format: "pem" }).toString();
const KEY_ID = "https://connexo.example/@team#main-key";

/** A delivery as Fedify queues it: the activity prepared once, the inbox, the sender's keys as JWK. */
function prepared(inbox: string, extra: Record<string, unknown> = {}) {
  const activity = {
    "@context": "https://www.w3.org/ns/activitystreams",
    id: "https://connexo.example/announces/1",
    type: "Announce",
    actor: "https://connexo.example/@team",
    object: "https://connexo.example/weeknotes/1",
  };
  return { type: "outbox", id: "m1", inbox, activity, keys: [{ keyId: KEY_ID, privateKey: rsaJwk }], headers: {}, attempt: 0, ...extra };
}

/** The messages Fedify's handler is handed when a queue holding these is worked through `withDirectDelivery`. */
async function handedToFedify(delivery: DirectDelivery, messages: unknown[]): Promise<unknown[]> {
  const queue: MessageQueue = {
    enqueue: async () => {},
    listen: async (handler) => {
      for (const message of messages) await handler(message);
    },
  };
  const handled: unknown[] = [];
  await withDirectDelivery(queue, delivery).listen((message) => {
    handled.push(message);
  });
  return handled;
}

/** Makes an inbox of the fake server answer 410 Gone, recording each POST. */
function answerGone(fake: FakeMastodon, path: string) {
  fake.routes.set(path, (req, res) => {
    fake.inboxPosts.push({ method: "POST", path: req.url!, headers: req.headers, body: "", status: 410 });
    res.writeHead(410);
    res.end();
  });
}

describe("deliveries signed and sent directly (federation/http/delivery.ts)", () => {
  let fake: FakeMastodon;
  const clock = new ManualClock();
  let delivery: DirectDelivery;
  const posts = (path: string) => fake.inboxPosts.filter((post) => post.path === path).length;

  beforeAll(async () => {
    fake = await FakeMastodon.start([]);
    delivery = new DirectDelivery({ userAgent: "Connexo/test", now: clock.now, failureMemoryMs: 60_000, allowPrivateAddress: true });
    answerGone(fake, "/users/gone/inbox");
  });
  afterAll(() => fake?.close());

  it("sends a prepared delivery with a draft-cavage signature that checks out against the sender's key", async () => {
    const message = prepared(`${fake.origin}/users/mira/inbox`);
    expect(await delivery.send(message)).toBe(true);
    const [post] = fake.inboxPosts.filter((p) => p.path === "/users/mira/inbox");
    expect(JSON.parse(post!.body)).toEqual(message.activity);
    expect(post!.headers["content-type"]).toBe("application/activity+json");
    expect(post!.headers["user-agent"]).toBe("Connexo/test");
    const verified = verifyDraftCavage(post!, publicKeyPem);
    expect(verified).toEqual({ ok: true, keyId: KEY_ID, headers: ["(request-target)", "host", "date", "digest", "content-type"] });
  });

  it("leaves a failed delivery to Fedify, and the same server's next ones until the failure is old", async () => {
    expect(await delivery.send(prepared(`${fake.origin}/users/gone/inbox`))).toBe(false);
    expect(posts("/users/gone/inbox")).toBe(1);
    // The server failed lately: its deliveries go to Fedify, whose circuit breaker and retries look after them.
    expect(await delivery.send(prepared(`${fake.origin}/users/mira/inbox`))).toBe(false);
    expect(posts("/users/mira/inbox")).toBe(1);
    clock.advance(60_000);
    expect(await delivery.send(prepared(`${fake.origin}/users/mira/inbox`))).toBe(true);
    expect(posts("/users/mira/inbox")).toBe(2);
  });

  it("leaves a delivery to Fedify when nothing answers", async () => {
    const closed = await FakeMastodon.start([]);
    await closed.close();
    expect(await delivery.send(prepared(`${closed.origin}/inbox`))).toBe(false);
  });

  it("leaves to Fedify what it does not send: a delivery held by the circuit breaker, one without an RSA key, anything else", async () => {
    const before = fake.inboxPosts.length;
    const ed25519 = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    expect(await delivery.send(prepared(`${fake.origin}/inbox`, { circuitHeld: true }))).toBe(false);
    expect(await delivery.send(prepared(`${fake.origin}/inbox`, { keys: [{ keyId: KEY_ID, privateKey: ed25519 }] }))).toBe(false);
    expect(await delivery.send({ type: "fanout", inboxes: {}, activity: {} })).toBe(false);
    expect(await delivery.send(prepared("not a URL"))).toBe(false);
    expect(await delivery.send(prepared(`${fake.origin}/inbox`, { keys: [null, { keyId: KEY_ID }] }))).toBe(false);
    expect(fake.inboxPosts.length).toBe(before);
  });

  it("hands the queue's handler only the messages it did not send", async () => {
    const messages = [
      prepared(`${fake.origin}/users/otto/inbox`),
      { type: "fanout", inboxes: {} },
      prepared(`${fake.origin}/users/gone/inbox`),
    ];
    clock.advance(60_000);
    expect(await handedToFedify(delivery, messages)).toEqual([messages[1], messages[2]]);
    expect(posts("/users/otto/inbox")).toBe(1);
  });

  it("answers retried for a delivery Fedify's handler queued again", async () => {
    const failing = prepared(`${fake.origin}/users/gone/inbox`, { id: "m2", attempt: 2 });
    const verdicts: unknown[] = [];
    const queue: VerdictQueue = {
      enqueue: async () => {},
      listen: async (handler) => {
        verdicts.push(await handler(failing));
        verdicts.push(await handler({ type: "fanout", inboxes: {} }));
      },
    };
    const wrapped = withDirectDelivery(queue, delivery);
    // As Fedify does with a failed delivery: the same message, one attempt more, due later.
    await wrapped.listen(async (message) => {
      if ((message as { type?: string }).type === "outbox") await wrapped.enqueue({ ...(message as object), attempt: 3 });
    });
    expect(verdicts).toEqual(["retried", undefined]);
  });
});

describe("deliveries to inboxes that are not on a public address", () => {
  const clock = new ManualClock();

  it("are refused unless private addresses are allowed, by the inbox's address or its host's name", async () => {
    const delivery = new DirectDelivery({ userAgent: "Connexo/test", now: clock.now });
    for (const inbox of [
      "http://127.0.0.1:4000/inbox",
      "https://localhost/inbox",
      "https://[::1]/inbox",
      "https://10.1.2.3/inbox",
      "https://169.254.169.254/inbox",
    ]) {
      expect(await delivery.refuses(prepared(inbox)), inbox).toBe(true);
    }
    // A public address is not refused (nothing is sent here, so nothing leaves this machine); nor is what is no delivery.
    expect(await delivery.refuses(prepared("https://93.184.215.14/users/mira/inbox"))).toBe(false);
    expect(await delivery.refuses({ type: "fanout", inboxes: {} })).toBe(false);
    const allowing = new DirectDelivery({ userAgent: "Connexo/test", now: clock.now, allowPrivateAddress: true });
    expect(await allowing.refuses(prepared("http://127.0.0.1:4000/inbox"))).toBe(false);
  });

  it("reach neither our sender nor Fedify's handler", async () => {
    const fake = await FakeMastodon.start([]);
    try {
      const delivery = new DirectDelivery({ userAgent: "Connexo/test", now: clock.now });
      const messages = [prepared(`${fake.origin}/users/mira/inbox`), { type: "fanout", inboxes: {} }];
      expect(await handedToFedify(delivery, messages)).toEqual([messages[1]]);
      expect(fake.inboxPosts).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe("an instance that does not allow private addresses", () => {
  let connexo: RunningInstance;
  let fake: FakeMastodon;
  let alice: Actor;

  beforeAll(async () => {
    [connexo, fake] = await Promise.all([startInstance({ CONNEXO_ALLOW_PRIVATE_ADDRESS: "false" }), FakeMastodon.start([])]);
    ({ person: alice } = await seedCommunity(connexo, { person: "alice", community: "team" }));
    // A follower whose server is on loopback, as one on the instance's own network would be.
    const follower = fake.accountInput("mira");
    expect(await connexo.services.follows.receiveFollow("alice", follower, `${fake.origin}/follows/mira`)).toBe("accepted");
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), fake?.close()]);
  });

  it("sends nothing to an inbox there, and keeps the follower", async () => {
    await connexo.services.weeknotes.publish("team", alice, { title: "Week 10", summary: "Not for loopback.", body: "Text." });
    await eventually(
      async () => {
        const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages");
        return Number(row!.n) === 0;
      },
      30_000,
      "the queues to drain",
    );
    expect(fake.inboxPosts).toEqual([]);
    expect(await connexo.store.follows.countFollowers(alice.id)).toBe(1);
  });
});

describe("a delivery that fails directly goes through Fedify's failure handling", () => {
  let connexo: RunningInstance;
  let fake: FakeMastodon;
  let alice: Actor;

  beforeAll(async () => {
    [connexo, fake] = await Promise.all([startInstance(), FakeMastodon.start([])]);
    ({ person: alice } = await seedCommunity(connexo, { person: "alice", community: "team" }));
    answerGone(fake, "/users/gone/inbox");
    for (const name of ["gone", "here"]) {
      const follower = fake.accountInput(name);
      expect(await connexo.services.follows.receiveFollow("alice", follower, `${fake.origin}/follows/${name}`)).toBe("accepted");
    }
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), fake?.close()]);
  });

  it("drops the followers behind an inbox that answers 410, and still delivers to the others", async () => {
    expect(await connexo.store.follows.countFollowers(alice.id)).toBe(2);
    await connexo.services.weeknotes.publish("team", alice, { title: "Week 9", summary: "Gone and here.", body: "Text." });
    await eventually(async () => (await connexo.store.follows.countFollowers(alice.id)) === 1, 30_000, "the gone follower to be dropped");
    const created = (path: string) =>
      fake.inboxPosts.filter((post) => post.path === path && post.body !== "" && JSON.parse(post.body).type === "Create");
    expect(created("/users/here/inbox").map((post) => post.status)).toEqual([202]);
    // Once here, and once more by Fedify, which took the failure over and found the inbox gone.
    expect(fake.inboxPosts.filter((post) => post.path === "/users/gone/inbox").length).toBeGreaterThanOrEqual(2);
  });

  it("hands an answer prepared without Fedify to Fedify's retries when its first try fails", async () => {
    const nora = fake.addUser("nora");
    // Unavailable the first time; after that the fake's own inbox takes it.
    fake.routes.set("/users/nora/inbox", (req, res) => {
      fake.routes.delete("/users/nora/inbox");
      fake.inboxPosts.push({ method: "POST", path: req.url!, headers: req.headers, body: "", status: 503 });
      res.writeHead(503);
      res.end();
    });
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${nora.id}#follows/1`,
      type: "Follow",
      actor: nora.id,
      object: `${connexo.origin}/@alice`,
    };
    expect((await deliver(`${connexo.origin}/@alice/inbox`, follow, nora)).status).toBe(202);
    const accepted = await eventually(
      () => fake.inboxPosts.find((post) => post.path === "/users/nora/inbox" && post.status === 202),
      15_000,
      "the Accept, the second time",
    );
    expect(JSON.parse(accepted.body)).toMatchObject({ type: "Accept", actor: `${connexo.origin}/@alice` });
    // Refused once here; then Fedify's knocks (an RFC 9421 signature, which the fake refuses, then draft-cavage).
    const statuses = fake.inboxPosts.filter((post) => post.path === "/users/nora/inbox").map((post) => post.status);
    expect(statuses[0]).toBe(503);
    expect(statuses.at(-1)).toBe(202);
  });
});
