import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connexoTerms } from "../../../federation/vocab/connexo-context.ts";
import { MASTODON_ACTIVITY_CONTEXT, type FakeMastodon, type FakeUser } from "../../helpers/fake-mastodon.ts";
import { page } from "../../helpers/html.ts";
import { eventually } from "../../helpers/instance.ts";
import { create, note, servedAsGroup, startInboxWorld, update, type InboxWorld } from "./setup.ts";

type Json = Record<string, unknown>;

const AS = "https://www.w3.org/ns/activitystreams";
const OUTCOME_REL = "https://w3id.org/connexo/ns#outcome";

/**
 * federation/inbox/outcome.ts: a community on another Connexo instance
 * answers a note written here (a reply to its consultation) with a note that
 * links, by a `tag` Link with rel cx:outcome, a document stating what became
 * of it. The document is read from the community's own server, and kept only
 * when it is in Connexo's terms and about the very note answered.
 */
describe("inbox: what became of a reply, told by another instance", () => {
  let world: InboxWorld;
  /** A community on the other instance, whose consultation alice answers. */
  let council: FakeUser;
  /** A community on a third server, for documents that are not the sender's. */
  let stranger: FakeUser;
  let recordUrl: string;

  const elsewhereFor = (noteId: string) => world.connexo.store.outcomes.elsewhereFor([noteId]);
  /** A note of alice's answering the council's record, as the web's reply form writes it. */
  const aliceReplies = async () => {
    const post = await world.connexo.services.interactions.reply(world.alice, recordUrl, "Thursdays suit the market.");
    return { id: post.id, uri: `${world.connexo.origin}/notes/${post.id}` };
  };
  /** The outcome document, as a Connexo instance serves it at `path` on `fake`; `fields` change it. */
  const serveOutcome = (fake: FakeMastodon, path: string, about: string, fields: Json = {}) => {
    const id = `${fake.origin}${path}`;
    fake.documents.set(path, {
      "@context": [AS, connexoTerms],
      id,
      type: "ReplyOutcome",
      attributedTo: council.id,
      object: about,
      context: recordUrl,
      name: "Which day the library opens late",
      outcome: "referred",
      note: "The opening hours are theirs to set.",
      referredTo: { id: `${world.mastodon.origin}/users/library`, name: "The library" },
      updated: new Date().toISOString(),
      ...fields,
    });
    return id;
  };
  /** The council's answering note: a reply to `about`, mentioning alice, linking the document at `href`. */
  const answer = (about: string, href: string) =>
    note(council, {
      inReplyTo: about,
      content: `<p><span class="h-card"><a href="${world.aliceUri}" class="u-url mention">@<span>alice</span></a></span> Thank you: your reply has been referred.</p>`,
      cc: [world.aliceUri, council.followers],
      tag: [
        { type: "Mention", href: world.aliceUri, name: `@alice@${new URL(world.connexo.origin).host}` },
        { type: "Link", href, rel: OUTCOME_REL, mediaType: `application/ld+json; profile="${AS}"` },
      ],
    });

  beforeAll(async () => {
    world = await startInboxWorld(["council"], { elsewhere: ["stranger"] });
    council = world.mastodon.user("council");
    stranger = world.elsewhere!.user("stranger");
    servedAsGroup(world.mastodon, council, "The council");
    // The council's record, which alice's notes answer.
    recordUrl = `${world.mastodon.origin}/decisions/${randomUUID()}`;
    world.mastodon.documents.set(new URL(recordUrl).pathname, {
      "@context": MASTODON_ACTIVITY_CONTEXT,
      id: recordUrl,
      type: "Article",
      name: "Which day the library opens late",
      content: "<p>Open for comment.</p>",
      attributedTo: council.id,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      published: new Date().toISOString(),
    });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("keeps the outcome the document states, and shows it on the note's page", async () => {
    const mine = await aliceReplies();
    const href = serveOutcome(world.mastodon, `/outcomes/${randomUUID()}`, mine.uri);
    const answering = answer(mine.uri, href);
    await world.send(create(council, answering), council);
    const [kept] = await eventually(
      async () => {
        const found = await elsewhereFor(mine.id);
        return found.length === 1 ? found : null;
      },
      15_000,
      "the outcome",
    );
    expect(kept).toMatchObject({
      postId: mine.id,
      answerUri: answering.id,
      recordUri: recordUrl,
      recordTitle: "Which day the library opens late",
      kind: "referred",
      note: "The opening hours are theirs to set.",
      referredTo: { uri: `${world.mastodon.origin}/users/library`, name: "The library" },
      answeredBy: council.id,
    });

    const shown = page(await (await world.connexo.app.request(mine.uri, { headers: { accept: "text/html" } })).text());
    expect(shown.text("#outcome-title")).toBe("What became of this reply");
    expect(shown.text(".outcome")).toBe("Referred to The library: The opening hours are theirs to set.");
    expect(shown.attr(`a[href="${recordUrl}"]`, "href")).toBe(recordUrl);
    expect(shown.attr(`a[href="${String(answering.id)}"]`, "href")).toBe(answering.id);
  });

  it("takes a changed outcome from the answer's Update, reading the document afresh", async () => {
    const mine = await aliceReplies();
    const path = `/outcomes/${randomUUID()}`;
    const href = serveOutcome(world.mastodon, path, mine.uri, { outcome: "acknowledged", note: "", referredTo: undefined });
    const answering = answer(mine.uri, href);
    await world.send(create(council, answering), council);
    await eventually(async () => (await elsewhereFor(mine.id))[0]?.kind === "acknowledged", 15_000, "the first outcome");

    serveOutcome(world.mastodon, path, mine.uri, { outcome: "not-used", note: "It asked about Sundays.", referredTo: undefined });
    const edited = {
      ...answering,
      content: "<p>Thank you for your reply. It was not used.</p>",
      updated: new Date(Date.now() + 60_000).toISOString(),
    };
    await world.send(update(council, edited), council);
    const [changed] = await eventually(
      async () => {
        const outcomes = await elsewhereFor(mine.id);
        return outcomes[0]?.kind === "not-used" ? outcomes : null;
      },
      15_000,
      "the changed outcome",
    );
    expect(changed).toMatchObject({ kind: "not-used", note: "It asked about Sundays.", referredTo: null, answerUri: answering.id });
    const shown = page(await (await world.connexo.app.request(mine.uri, { headers: { accept: "text/html" } })).text());
    expect(shown.text(".outcome")).toBe("Not used: It asked about Sundays.");
  });

  it("does not read a document on another server than the answering community's", async () => {
    const mine = await aliceReplies();
    const path = `/outcomes/${randomUUID()}`;
    const href = serveOutcome(world.elsewhere!, path, mine.uri, { attributedTo: stranger.id });
    await world.send(create(council, answer(mine.uri, href)), council);
    await world.settled();
    expect(await elsewhereFor(mine.id)).toEqual([]);
    // Not even fetched: another server cannot speak for the community.
    expect(world.elsewhere!.gets).not.toContain(path);
  });

  it("does not take a document without Connexo's terms, whatever its keys say", async () => {
    const mine = await aliceReplies();
    const second = await aliceReplies();
    // The same keys, meaning nothing under ActivityStreams' context alone, or another vocabulary's terms.
    const path = `/outcomes/${randomUUID()}`;
    const plain = serveOutcome(world.mastodon, path, mine.uri, { "@context": AS });
    const otherPath = `/outcomes/${randomUUID()}`;
    const other = serveOutcome(world.mastodon, otherPath, second.uri, {
      "@context": [AS, { cx: "https://example.org/other#", outcome: "cx:outcome", ReplyOutcome: "cx:ReplyOutcome" }],
    });
    await world.send(create(council, answer(mine.uri, plain)), council);
    await world.send(create(council, answer(second.uri, other)), council);
    await world.settled();
    expect(await elsewhereFor(mine.id)).toEqual([]);
    expect(await elsewhereFor(second.id)).toEqual([]);
    // Both were read, and refused for what they said.
    expect(world.mastodon.gets).toEqual(expect.arrayContaining([path, otherPath]));
  });

  it("does not take a document about another note than the one answered", async () => {
    const mine = await aliceReplies();
    const another = await aliceReplies();
    const path = `/outcomes/${randomUUID()}`;
    // About another note of ours: were it taken, it would be told of the wrong note.
    const href = serveOutcome(world.mastodon, path, another.uri);
    await world.send(create(council, answer(mine.uri, href)), council);
    await world.settled();
    expect(world.mastodon.gets).toContain(path);
    expect(await elsewhereFor(mine.id)).toEqual([]);
    expect(await elsewhereFor(another.id)).toEqual([]);
  });

  it("does not take an outcome of a kind it does not know", async () => {
    const mine = await aliceReplies();
    const path = `/outcomes/${randomUUID()}`;
    const href = serveOutcome(world.mastodon, path, mine.uri, { outcome: "shelved" });
    await world.send(create(council, answer(mine.uri, href)), council);
    await world.settled();
    expect(world.mastodon.gets).toContain(path);
    expect(await elsewhereFor(mine.id)).toEqual([]);
  });

  it("does not look at the link of a note that answers something not ours", async () => {
    const mine = await aliceReplies();
    const path = `/outcomes/${randomUUID()}`;
    const theirs = `${world.mastodon.origin}/users/council/statuses/${randomUUID()}`;
    const href = serveOutcome(world.mastodon, path, theirs);
    await world.send(create(council, answer(theirs, href)), council);
    await world.settled();
    expect(world.mastodon.gets).not.toContain(path);
    expect(await elsewhereFor(mine.id)).toEqual([]);
  });
});
