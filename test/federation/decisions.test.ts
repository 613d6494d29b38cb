import { Article } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { AS_PUBLIC, deliver, FakeMastodon, MASTODON_ACTIVITY_CONTEXT, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

/**
 * Decision records between two Connexo instances on loopback: a person on B
 * follows a community on A, receives its record with the structured fields,
 * replies during the consultation, and, once A decides citing that reply,
 * sees the new status and is thanked with a mention.
 */
describe("decision records across two instances", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let alice: Actor;
  let bob: Actor;
  let decisionId: string;
  let decisionUrl: string;

  const record = {
    title: "Which day the library opens late",
    question: "Should the library open late on Thursdays or on Fridays?",
    context: "Visitors asked for **evening** hours.",
    options: [
      { title: "Thursdays", description: "Matches the market day." },
      { title: "Fridays", description: "Staff prefer it." },
    ],
    tags: ["library"],
  };
  const asJson = (url: string) => fetch(url, { headers: { accept: "application/activity+json" } });
  const remoteRecord = async () => (await b.store.interactions.findRemotePost(decisionUrl))?.decision ?? null;

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    alice = (await seedCommunity(a, { person: "alice", community: "council" })).person;
    bob = await b.services.actors.createPerson({ handle: "bob", displayName: "Bob Reader", password: "a long enough password" });
    await b.services.follows.requestFollow("bob", `${a.origin}/@council`);
    await eventually(async () => (await b.store.follows.countFollowing(bob.id)) === 1, 15_000, "the Accept");

    const proposed = await a.services.decisions.propose("council", alice, record);
    decisionId = proposed.post.id;
    decisionUrl = `${a.origin}/decisions/${decisionId}`;
    await a.services.decisions.open(decisionId, alice, { closesAt: new Date(Date.now() + 7 * 86_400_000) });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("serves the record at its id as an Article with Connexo's terms, and the context that defines them", async () => {
    const res = await asJson(decisionUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/activity+json");
    expect(res.headers.get("vary")).toContain("Accept");
    const doc = (await res.json()) as Record<string, any>;
    expect(doc["@context"]).toContain("https://www.w3.org/ns/activitystreams");
    expect(doc["@context"]).toContainEqual(expect.objectContaining({ cx: "https://w3id.org/connexo/ns#" }));
    expect(doc).toMatchObject({
      id: decisionUrl,
      type: "Article",
      name: record.title,
      url: decisionUrl,
      attributedTo: `${a.origin}/@alice`,
      decisionStatus: "open",
      decisionQuestion: record.question,
      decisionContext: "<p>Visitors asked for <strong>evening</strong> hours.</p>\n",
      decisionOptions: [
        { optionName: "Thursdays", optionDescription: "<p>Matches the market day.</p>\n" },
        { optionName: "Fridays", optionDescription: "<p>Staff prefer it.</p>\n" },
      ],
      decisionHistory: [
        { action: "proposed", toStatus: "proposed", actor: { id: `${a.origin}/@alice`, name: "alice Example" } },
        { action: "opened", fromStatus: "proposed", toStatus: "open" },
      ],
    });
    expect(doc.summary).toMatch(/^Open for comment until .*: Should the library open late/);
    // The readable record, for servers that know nothing of Connexo's terms.
    expect(doc.content).toContain("<strong>Status: Open for comment</strong>");
    expect(doc.content).toContain("<h2>Options considered</h2><ul><li><strong>Thursdays</strong><p>Matches the market day.</p>");
    expect(doc.content).toContain(`<a href="${decisionUrl}">The record and its full history</a>`);
    expect(doc.proposedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(doc.consultationClosesAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(doc.replies.id).toBe(`${a.origin}/posts/${decisionId}/replies`);

    const context = await fetch(`${a.origin}/ns/connexo`);
    expect(context.headers.get("content-type")).toBe("application/ld+json");
    expect(context.headers.get("cache-control")).toContain("max-age=");
    const terms = ((await context.json()) as { "@context": Record<string, unknown> })["@context"];
    for (const term of [
      "decisionStatus",
      "decisionQuestion",
      "decisionContext",
      "decisionOptions",
      "optionName",
      "optionDescription",
      "decisionText",
      "decisionRationale",
      "decisionConsequences",
      "deciders",
      "proposedAt",
      "consultationClosesAt",
      "decidedAt",
      "supersedes",
      "supersededBy",
      "informedBy",
      "note",
      "authorName",
      "decisionHistory",
      "at",
      "action",
      "fromStatus",
      "toStatus",
      "reason",
      "changes",
    ]) {
      expect(terms[term], term).toMatchObject({ "@id": `cx:${term}` });
    }
    expect(terms.cx).toBe("https://w3id.org/connexo/ns#");

    // Fedify on B expands the document (loading the context from A) and reads it as an Article.
    const ctx = b.federation.federation.createContext(new URL(b.origin), b.federation.contextData);
    const article = await ctx.lookupObject(decisionUrl);
    expect(article).toBeInstanceOf(Article);
    expect((article as Article).name?.toString()).toBe(record.title);

    // A browser gets the page, never the JSON; a record that does not exist is not found.
    const page = await fetch(decisionUrl, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("vary")).toContain("Accept");
    expect((await asJson(`${a.origin}/decisions/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("carries the record, a reply to it, the decision citing the reply, and the thanks, from one instance to the other", async () => {
    // B hears of the record through the community's Announce, and reads its terms.
    const opened = await eventually(
      async () => {
        const decision = await remoteRecord();
        return decision?.status === "open" ? decision : null;
      },
      15_000,
      "the open record on B",
    );
    expect(opened.question).toBe(record.question);
    expect(opened.contextHtml).toBe("<p>Visitors asked for <strong>evening</strong> hours.</p>\n");
    expect(opened.options.map((o) => o.title)).toEqual(["Thursdays", "Fridays"]);
    expect(opened.consultationClosesAt).not.toBeNull();

    // Bob replies to the open record; A keeps the reply as one the record may cite.
    const bobsNote = await b.services.interactions.reply(bob, decisionUrl, "Thursdays, please: the *market* is open late.");
    const bobsNoteUri = `${b.origin}/notes/${bobsNote.id}`;
    const citable = await eventually(
      async () => {
        const replies = await a.services.decisions.citableReplies(decisionId);
        return replies.find((r) => r.uri === bobsNoteUri);
      },
      15_000,
      "Bob's reply on A",
    );
    expect(citable.authorName).toBe("Bob Reader");
    expect(citable.contentHtml).toContain("<em>market</em>");

    // A closes the consultation early (with a reason) and decides, citing Bob's reply.
    await a.services.decisions.close(decisionId, alice, { reason: "Every branch has answered." });
    const decided = await a.services.decisions.decide(decisionId, alice, {
      decision: "The library opens late on **Thursdays**.",
      rationale: "It matches the market day.",
      deciders: "alice, carol@elsewhere.example",
      informedBy: [{ uri: bobsNoteUri, note: "We chose the market day, as Bob suggested." }],
    });
    const acknowledgementId = decided.informedBy[0]!.acknowledgementId!;
    expect(acknowledgementId).toBeTruthy();

    // B receives the Update and reads the record afresh.
    const remote = await eventually(
      async () => {
        const decision = await remoteRecord();
        return decision?.status === "decided" ? decision : null;
      },
      15_000,
      "the decided record on B",
    );
    expect(remote.decisionHtml).toBe("<p>The library opens late on <strong>Thursdays</strong>.</p>\n");
    expect(remote.rationaleHtml).toContain("It matches the market day.");
    expect(remote.decidedAt).not.toBeNull();
    expect(remote.deciders).toEqual([
      { uri: `${a.origin}/@alice`, name: "alice Example" },
      { uri: null, name: "@carol@elsewhere.example" },
    ]);
    expect(remote.informedBy).toEqual([
      { uri: bobsNoteUri, url: bobsNoteUri, note: "We chose the market day, as Bob suggested.", authorName: "Bob Reader" },
    ]);
    expect(remote.history.map((h) => [h.action, h.fromStatus, h.toStatus, h.actorName, h.reason])).toEqual([
      ["proposed", null, "proposed", "alice Example", ""],
      ["opened", "proposed", "open", "alice Example", ""],
      ["closed", "open", "closed", "alice Example", "Every branch has answered."],
      ["decided", "closed", "decided", "alice Example", ""],
    ]);
    const stored = (await b.store.interactions.findRemotePost(decisionUrl))!;
    expect(stored.summary).toMatch(/^Decided on .*: The library opens late on/);

    // Bob's Following page shows it as a record.
    const web = new WebClient(b, b.origin);
    await web.signIn("bob", "a long enough password");
    expect((await web.get("/timeline")).status).toBe(200);
    expect(web.lastHtml).toContain('<strong class="status status-decided">Decided</strong>');
    expect(web.lastHtml).toContain("<p>The library opens late on <strong>Thursdays</strong>.</p>");
    expect(web.lastHtml).toContain("We chose the market day, as Bob suggested.");
    expect(web.lastHtml).toContain("Every branch has answered.");
    expect(web.lastHtml).toContain("@carol@elsewhere.example");

    // Bob is thanked: a reply to his note from the community, mentioning him and linking the record.
    const thanks = await eventually(
      async () => {
        const replies = await b.store.interactions.replies(bobsNote.id);
        return replies.find((r) => r.uri === `${a.origin}/notes/${acknowledgementId}`);
      },
      15_000,
      "the thanks on B",
    );
    expect(thanks.inReplyTo).toBe(bobsNoteUri);
    expect(thanks.author?.uri).toBe(`${a.origin}/@council`);
    expect(thanks.contentHtml).toContain(`<a href="${b.origin}/@bob" class="u-url mention"`);
    expect(thanks.contentHtml).toContain("@<span>bob</span>");
    expect(thanks.contentHtml).toContain(`<a href="${decisionUrl}"`);
    expect(thanks.contentHtml).toContain("We chose the market day, as Bob suggested.");

    // The Note A sent mentions Bob and is addressed to him, so Mastodon would notify him too.
    const create = (await a.store.activities.find(`create-${acknowledgementId}`)) as Record<string, any>;
    const note = create.object;
    expect(note.type).toBe("Note");
    expect(note.inReplyTo).toBe(bobsNoteUri);
    expect(note.attributedTo).toBe(`${a.origin}/@council`);
    expect([note.tag].flat()).toContainEqual({ type: "Mention", href: `${b.origin}/@bob`, name: `@bob@${new URL(b.origin).host}` });
    expect([note.cc].flat()).toEqual(expect.arrayContaining([`${b.origin}/@bob`, `${a.origin}/@council/followers`]));
    const served = await asJson(`${a.origin}/notes/${acknowledgementId}`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { attributedTo: string }).attributedTo).toBe(`${a.origin}/@council`);
    const notePage = await fetch(`${a.origin}/notes/${acknowledgementId}`, { headers: { accept: "text/html" } });
    expect(notePage.status).toBe(200);
    expect([create.cc].flat()).toContain(`${b.origin}/@bob`);
  });

  it("keeps a local person's reply once: it is not delivered back to its own instance", async () => {
    const before = (await a.store.interactions.replies(decisionId)).length;
    const note = await a.services.interactions.reply(alice, decisionUrl, "A reply from here.");
    // Once the reply's events and any deliveries are done, it is still only the local note.
    await eventually(
      async () => (await queryRows(a.database, "SELECT id FROM queue_messages WHERE available_at <= ?", [Date.now()])).length === 0,
      15_000,
      "A's queues to empty",
    );
    expect((await a.store.interactions.replies(decisionId)).length).toBe(before);
    const citable = await a.services.decisions.citableReplies(decisionId);
    expect(citable.filter((r) => r.uri === `${a.origin}/notes/${note.id}`)).toHaveLength(1);
  });
});

/**
 * A record is read only from a document at the object's own id, on its own
 * origin, naming that origin's Connexo context; what it says is cleaned of
 * anything active before it is kept.
 */
describe("a decision record from a server that cannot be trusted", () => {
  let connexo: RunningInstance;
  let remote: FakeMastodon;
  let council: FakeUser;

  const article = (path: string) => ({
    id: `${remote.origin}${path}`,
    type: "Article",
    name: `The record at ${path}`,
    summary: "Decided: something.",
    content: "<p>The record.</p>",
    url: `${remote.origin}${path}`,
    attributedTo: council.id,
    to: [AS_PUBLIC],
    cc: [council.followers],
    published: new Date().toISOString(),
  });
  const send = (object: Record<string, unknown>) =>
    deliver(
      `${connexo.origin}/inbox`,
      {
        "@context": MASTODON_ACTIVITY_CONTEXT,
        id: `${object.id as string}/activity`,
        type: "Create",
        actor: council.id,
        to: object.to,
        cc: object.cc,
        object,
      },
      council,
    );
  const kept = (path: string) =>
    eventually(() => connexo.store.interactions.findRemotePost(`${remote.origin}${path}`), 15_000, `the post at ${path}`);

  beforeAll(async () => {
    [connexo, remote] = await Promise.all([startInstance(), FakeMastodon.start(["council"])]);
    council = remote.user("council");
    // Someone here follows the remote account, so what it publishes is kept.
    const { store } = connexo;
    const { actors } = connexo.services;
    const bob = await actors.createPerson({ handle: "bob", displayName: "Bob", password: "a long enough password" });
    const following = await store.follows.createFollowing({ id: "follows-council", actorId: bob.id, target: council.id }, []);
    const saved = await store.remoteActors.upsert({
      uri: council.id,
      type: "Person",
      handle: `@council@${new URL(remote.origin).host}`,
      name: "Council",
      url: null,
      iconUrl: null,
      inbox: council.inbox,
      sharedInbox: null,
    });
    await store.follows.resolveFollowing(following.id, saved.id, "accepted");
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), remote?.close()]);
  });

  it("keeps the record's HTML only after sanitising it, and its links only if they are http(s)", async () => {
    remote.documents.set("/decisions/1", {
      "@context": ["https://www.w3.org/ns/activitystreams", `${remote.origin}/ns/connexo`],
      ...article("/decisions/1"),
      decisionStatus: "decided",
      decisionQuestion: "Which <b>day</b>?",
      decisionContext: '<p>Context<script>alert(1)</script> <img src="x" onerror="alert(2)"></p>',
      decisionOptions: { "@list": [{ optionName: "Thursdays", optionDescription: '<p onclick="alert(3)">Market day</p>' }] },
      decisionText: '<p><a href="javascript:alert(4)">Thursdays</a></p>',
      deciders: ["javascript:alert(5)", { id: "acct:dan@elsewhere.example" }, { id: `${remote.origin}/users/council`, name: "Council" }],
      supersededBy: "javascript:alert(6)",
      informedBy: [
        { object: "javascript:alert(7)", note: "Dropped" },
        { object: "https://elsewhere.example/notes/1", note: "Kept", url: "data:text/html,x" },
      ],
      decisionHistory: [
        { at: "2026-01-01T10:00:00Z", action: "proposed", toStatus: "proposed", reason: "" },
        { at: "2026-01-02T10:00:00Z", action: "exploded", toStatus: "decided" },
        { at: "not a date", action: "decided", toStatus: "decided" },
      ],
    });
    expect((await send(article("/decisions/1"))).status).toBe(202);
    const decision = (await eventually(async () => (await kept("/decisions/1")).decision, 15_000, "the record"))!;
    expect(decision.status).toBe("decided");
    expect(decision.question).toBe("Which <b>day</b>?");
    expect(decision.contextHtml).toBe("<p>Context </p>");
    expect(decision.options).toEqual([{ title: "Thursdays", descriptionHtml: "<p>Market day</p>" }]);
    expect(decision.decisionHtml).toBe('<p><a rel="nofollow noopener noreferrer ugc">Thursdays</a></p>');
    expect(decision.deciders).toEqual([
      { uri: null, name: "@dan@elsewhere.example" },
      { uri: `${remote.origin}/users/council`, name: "Council" },
    ]);
    expect(decision.supersededBy).toBeNull();
    expect(decision.informedBy).toEqual([{ uri: "https://elsewhere.example/notes/1", url: null, note: "Kept", authorName: null }]);
    expect(decision.history.map((h) => h.action)).toEqual(["proposed"]);
  });

  it("reads no record from a document that names another origin's context, or that is not the object's own", async () => {
    remote.documents.set("/articles/2", {
      "@context": ["https://www.w3.org/ns/activitystreams", "https://connexo.elsewhere.example/ns/connexo"],
      ...article("/articles/2"),
      decisionStatus: "decided",
    });
    remote.documents.set("/articles/3", {
      "@context": ["https://www.w3.org/ns/activitystreams", `${remote.origin}/ns/connexo`],
      ...article("/articles/4"),
      decisionStatus: "decided",
    });
    for (const path of ["/articles/2", "/articles/3"]) expect((await send(article(path))).status).toBe(202);
    expect((await kept("/articles/2")).decision).toBeNull();
    expect((await kept("/articles/3")).decision).toBeNull();
    // Both documents were fetched: the record was looked for, and refused.
    expect(remote.gets).toEqual(expect.arrayContaining(["/articles/2", "/articles/3"]));
  });
});
