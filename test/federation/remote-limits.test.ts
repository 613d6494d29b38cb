import { createServer, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AS_PUBLIC, createNote, deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { queryRows } from "../helpers/database.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * A server that answers with headers at once and then one byte a second for
 * ever: what a slow or hostile server does to hold a connection open. It
 * counts connections, how many it held at once, how many are still open, and
 * how many the other side cut (it never ends one itself).
 */
class TricklingServer {
  open = 0;
  mostAtOnce = 0;
  connections = 0;
  closed = 0;
  readonly #responses = new Set<ServerResponse>();
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(contentType = "application/activity+json"): Promise<TricklingServer> {
    let trickling: TricklingServer | undefined;
    const server = createServer((req, res) => {
      const self = trickling!;
      self.connections++;
      self.open++;
      self.mostAtOnce = Math.max(self.mostAtOnce, self.open);
      self.#responses.add(res);
      res.writeHead(200, { "content-type": contentType });
      res.write("{");
      const timer = setInterval(() => res.write(" "), 1000);
      res.on("close", () => {
        clearInterval(timer);
        self.open--;
        self.closed++;
        self.#responses.delete(res);
      });
      req.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    trickling = new TricklingServer(server, `http://127.0.0.1:${port}`);
    return trickling;
  }

  async close() {
    for (const res of this.#responses) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a slow, silent or lying server can cost an instance: each remote call
 * has a deadline and a size limit, one server's work never takes every queue
 * slot, and documents are accepted only with the right type from the right origin.
 */
describe("limits on what other servers can cost", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let elsewhere: FakeMastodon;
  let trickle: TricklingServer;
  let mira: FakeUser;
  let otto: FakeUser;
  let teamInbox: string;
  let weeknote: { id: string; url: string };

  const reply = (actor: FakeUser, content: string) => createNote(actor, { inReplyTo: weeknote.url, content });
  const replyAt = (uri: string) => connexo.store.interactions.findReplyByUri(uri);

  beforeAll(async () => {
    [connexo, mastodon, elsewhere, trickle] = await Promise.all([
      startInstance({ CONNEXO_FETCH_TIMEOUT_SECONDS: "2", CONNEXO_QUEUE_PER_ORIGIN: "4" }),
      FakeMastodon.start(["mira"]),
      FakeMastodon.start(["otto"]),
      TricklingServer.start(),
    ]);
    mira = mastodon.user("mira");
    otto = elsewhere.user("otto");
    const { token } = await seedCommunity(connexo, { person: "alice", community: "team" });
    teamInbox = `${connexo.origin}/@team/inbox`;
    const published = await fetch(`${connexo.origin}/api/v1/weeknotes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ community: "team", title: "Week 49", summary: "What we did.", body: "Things." }),
    });
    weeknote = (await published.json()) as { id: string; url: string };

    // The team follows mira, so her boosts are read (and their objects fetched).
    const followed = await fetch(`${connexo.origin}/api/v1/follows`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ target: mira.id, as: "team" }),
    });
    expect(followed.status).toBe(202);
    const follow = await eventually(
      () => mastodon.inboxPosts.map((p) => JSON.parse(p.body)).find((a) => a.type === "Follow"),
      15_000,
      "the Follow",
    );
    const accepted = await deliver(
      teamInbox,
      { "@context": "https://www.w3.org/ns/activitystreams", id: `${mira.id}#accepts/1`, type: "Accept", actor: mira.id, object: follow },
      mira,
    );
    expect(accepted.status).toBe(202);
    await eventually(() => connexo.store.follows.isFollowedLocally(mira.id), 15_000, "the follow to be accepted");
  });
  afterAll(async () => {
    await trickle?.close();
    await Promise.all([connexo?.stop(), mastodon?.close(), elsewhere?.close()]);
  });

  it("cuts off a server that trickles an object, and keeps handling everyone else's activities meanwhile", async () => {
    // Forty boosts of objects that live on a server that never finishes answering.
    for (let i = 0; i < 40; i++) {
      const boost = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${mira.id}/statuses/${randomUUID()}/activity`,
        type: "Announce",
        actor: mira.id,
        to: [AS_PUBLIC],
        object: `${trickle.origin}/objects/${i}`,
      };
      expect((await deliver(teamInbox, boost, mira)).status).toBe(202);
    }
    await eventually(() => trickle.open > 0, 15_000, "the trickling server to be asked");

    // Meanwhile a reply from another server is handled.
    const create = reply(otto, "<p>A reply while another server trickles.</p>");
    expect((await deliver(teamInbox, create, otto)).status).toBe(202);
    await eventually(() => replyAt(create.object.id), 15_000, "the reply from elsewhere to be stored");
    expect(trickle.open).toBeGreaterThan(0);

    // One sender's work never held more than its share of the queue.
    expect(trickle.mostAtOnce).toBeLessThanOrEqual(4);
    // And the connections to the trickling server are cut at their deadline: the first share of them, at least
    // (the rest of the forty wait their turn, and are cut the same way, while the other tests run).
    await eventually(() => trickle.closed >= 4, 30_000, "the first trickling connections to be cut");
  });

  it("cuts off an inbox that trickles its answer, and retries the delivery later", async () => {
    const slowInbox = await TricklingServer.start("text/plain");
    try {
      // A follower whose inbox is on the trickling server (on a host other than mira's, whose boosts may still be retried).
      const slow = elsewhere.addUser("slowpoke");
      elsewhere.routes.set("/users/slowpoke", (_req, res) => {
        const document = { ...elsewhere.actorDocument(slow), inbox: `${slowInbox.origin}/inbox`, endpoints: {} };
        res.writeHead(200, { "content-type": "application/activity+json" });
        res.end(JSON.stringify(document));
      });
      const follow = {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${slow.id}#follows/1`,
        type: "Follow",
        actor: slow.id,
        object: `${connexo.origin}/@team`,
      };
      expect((await deliver(teamInbox, follow, slow)).status).toBe(202);
      await eventually(() => slowInbox.connections > 0, 15_000, "the Accept to reach the trickling inbox");
      await eventually(() => slowInbox.connections > 0 && slowInbox.open === 0, 15_000, "the delivery to be cut off");
      const [row] = await queryRows<{ n: number }>(connexo.database, "SELECT count(*) AS n FROM queue_messages WHERE queue = 'fedify'");
      expect(row!.n).toBeGreaterThan(0);
    } finally {
      await slowInbox.close();
    }
  });

  it("accepts actors and keys only as ActivityPub JSON, never as HTML or an image", async () => {
    for (const [name, type] of [
      ["pagey", "text/html; charset=utf-8"],
      ["pictured", "image/png"],
      ["octet", "application/octet-stream"],
    ] as const) {
      const user = mastodon.addUser(name);
      mastodon.routes.set(`/users/${name}`, (_req, res) => {
        res.writeHead(200, { "content-type": type });
        res.end(JSON.stringify(mastodon.actorDocument(user)));
      });
      const create = reply(user, `<p>From ${name}.</p>`);
      const response = await deliver(teamInbox, create, user);
      expect(response.status, `${name} served as ${type}`).toBe(401);
      expect(await replyAt(create.object.id)).toBeFalsy();
    }
  });

  it("takes a document only from the origin its id names, after redirects", async () => {
    // The key's URL redirects to another server, which serves an actor claiming to live on the first.
    const user = mastodon.addUser("wanderer");
    const document = mastodon.actorDocument(user);
    elsewhere.documents.set("/users/wanderer", document);
    mastodon.routes.set("/users/wanderer", (_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/users/wanderer` });
      res.end();
    });
    const create = reply(user, "<p>Redirected.</p>");
    expect((await deliver(teamInbox, create, user)).status).toBe(401);
    expect(await replyAt(create.object.id)).toBeFalsy();
  });

  it("fetches a key once, not once per request, when a flood of requests is signed wrongly", async () => {
    const forger = mastodon.addUser("forger");
    const before = mastodon.gets.filter((path) => path === "/users/mira").length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => deliver(teamInbox, reply(mira, "<p>Forged.</p>"), mira, { privateKey: forger.privateKey })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(401));
    expect(mastodon.gets.filter((path) => path === "/users/mira").length - before).toBeLessThanOrEqual(1);

    // A key that cannot be fetched at all is not asked for again either.
    const ghost = mastodon.addUser("ghost");
    mastodon.routes.set("/users/ghost", (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const ghostly = await Promise.all(Array.from({ length: 20 }, () => deliver(teamInbox, reply(ghost, "<p>Boo.</p>"), ghost)));
    expect(ghostly.map((r) => r.status)).toEqual(Array(20).fill(401));
    expect(mastodon.gets.filter((path) => path === "/users/ghost").length).toBeLessThanOrEqual(1);
  });
});
