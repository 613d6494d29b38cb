import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutcomeKind } from "../../src/domain/outcomes.ts";
import type { Actor } from "../../src/domain/types.ts";
import { queryRows } from "../helpers/database.ts";
import { deliver, FakeMastodon, MASTODON_ACTIVITY_CONTEXT, type FakeUser } from "../helpers/fake-mastodon.ts";
import { page } from "../helpers/html.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { create, note, received } from "./inbox/setup.ts";

type Json = Record<string, any>;

const OUTCOME_REL = "https://w3id.org/connexo/ns#outcome";
const TITLE = "Which day the library opens late";

/**
 * A Mastodon user replies to a consultation, and hears back on Mastodon what
 * became of each reply: a public Note from the community, replying to it and
 * mentioning its author, with the outcome in plain words and the record's
 * address, for whatever the outcome is. A changed outcome edits that same
 * Note. The fake server knows nothing of Connexo's terms, as Mastodon does.
 */
describe("outcomes told to a Mastodon user", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let mira: FakeUser;
  let alice: Actor;
  let libraryId: number;
  let decisionId: string;
  let decisionUrl: string;
  /** Mira's reply that each outcome answers. */
  const replies = {} as Record<OutcomeKind, Json>;

  /** What the fake server received, as it would be shown: Creates and Updates of Notes, in order. */
  const notesReceived = (type: "Create" | "Update", inReplyTo: string) =>
    received(mastodon).filter((a) => a.type === type && (a.object as Json | undefined)?.inReplyTo === inReplyTo);
  const answerTo = (reply: Json) =>
    eventually(() => notesReceived("Create", reply.id)[0], 15_000, `the answer to ${String(reply.content)}`);
  /** The Note's text as Mastodon shows it: markup gone, entities decoded. */
  const shownText = (object: Json) => page(`<body>${String(object.content)}</body>`).text();

  /** Mira's outcome is told to her: a reply to her note, naming her, linking the record. */
  function expectAnswerToMira(activity: Json, reply: Json) {
    const object = activity.object as Json;
    expect(object.type).toBe("Note");
    expect(object.attributedTo).toBe(`${connexo.origin}/@council`);
    expect(object.inReplyTo).toBe(reply.id);
    const tags = [object.tag].flat();
    expect(tags).toContainEqual(expect.objectContaining({ type: "Mention", href: mira.id }));
    // Mastodon notifies only those the status is addressed to.
    expect([object.to, object.cc].flat()).toContain(mira.id);
    expect(String(object.content)).toContain(`<a href="${decisionUrl}">`);
    // The outcome's document, for Connexo instances; Mastodon keeps only mentions, hashtags and emoji.
    const link = tags.find((t: Json) => t?.type === "Link");
    expect([link?.rel].flat()).toContain(OUTCOME_REL);
    expect(link?.href).toBe(`${object.id as string}/outcome`);
    return object;
  }

  beforeAll(async () => {
    [connexo, mastodon] = await Promise.all([startInstance(), FakeMastodon.start(["mira"])]);
    mira = mastodon.user("mira");
    alice = (await seedCommunity(connexo, { person: "alice", community: "council" })).person;
    libraryId = (await seedCommunity(connexo, { person: "bob", community: "library" })).community.id;
    const proposed = await connexo.services.decisions.propose("council", alice, {
      title: TITLE,
      question: "Should the library open late on Thursdays or on Fridays?",
      context: "Visitors asked for evening hours.",
      options: [{ title: "Thursdays", description: "Matches the market day." }],
      tags: [],
    });
    decisionId = proposed.post.id;
    decisionUrl = `${connexo.origin}/decisions/${decisionId}`;
    await connexo.services.decisions.open(decisionId, alice, { closesAt: new Date(Date.now() + 7 * 86_400_000) });

    // Mira replies four times, as Mastodon does: each status served at its id (the answer's addressee is read from it).
    for (const kind of ["acknowledged", "informed", "referred", "not-used"] as const) {
      const status = note(mira, { inReplyTo: decisionUrl, content: `<p>Mira's reply for ${kind}.</p>` });
      mastodon.documents.set(new URL(String(status.id)).pathname, { "@context": MASTODON_ACTIVITY_CONTEXT, ...status });
      replies[kind] = status;
      const response = await deliver(`${connexo.origin}/inbox`, create(mira, status), mira);
      expect(response.status).toBe(202);
    }
    await eventually(
      async () => (await connexo.services.outcomes.input((await connexo.services.decisions.get(decisionId))!)).length === 4,
      15_000,
      "Mira's four replies as the record's input",
    );
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close()]);
  });

  it("keeps Mastodon's replies as replies from elsewhere, not from another Connexo instance", async () => {
    for (const reply of Object.values(replies)) {
      const kept = await connexo.store.interactions.findReplyByUri(reply.id);
      expect(kept?.fromConnexo, String(reply.content)).toBe(false);
    }
  });

  it("tells her a reply was acknowledged, with the note that goes with it", async () => {
    await connexo.services.outcomes.set(decisionId, alice, {
      replies: [replies.acknowledged.id],
      kind: "acknowledged",
      note: "We will come back to it in spring.",
    });
    const object = expectAnswerToMira(await answerTo(replies.acknowledged), replies.acknowledged);
    expect(shownText(object)).toContain(
      `Thank you: your reply to the decision record “${TITLE}” has been read and recorded. We will come back to it in spring.`,
    );
  });

  it("tells her a reply informed the decision, and how", async () => {
    await connexo.services.outcomes.set(decisionId, alice, {
      replies: [replies.informed.id],
      kind: "informed",
      note: "We chose the market day, as Mira suggested.",
    });
    const object = expectAnswerToMira(await answerTo(replies.informed), replies.informed);
    expect(shownText(object)).toContain(
      `Thank you: your reply informed the decision record “${TITLE}”. How we used it: We chose the market day, as Mira suggested.`,
    );
  });

  it("tells her a reply was referred to a community here, by its name, and files it there", async () => {
    await connexo.services.outcomes.set(decisionId, alice, {
      replies: [replies.referred.id],
      kind: "referred",
      note: "The opening hours are theirs to set.",
      referTo: "@library",
    });
    const object = expectAnswerToMira(await answerTo(replies.referred), replies.referred);
    expect(shownText(object)).toContain(
      `Thank you: your reply to the decision record “${TITLE}” has been referred to The library, who can act on it. The opening hours are theirs to set.`,
    );
    const filed = await connexo.store.outcomes.referredTo(libraryId, 10);
    expect(filed.map((r) => [r.objectUri, r.authorUri, r.recordUri])).toEqual([[replies.referred.id, mira.id, decisionUrl]]);
  });

  it("tells her a reply was not used, and why", async () => {
    await connexo.services.outcomes.set(decisionId, alice, {
      replies: [replies["not-used"].id],
      kind: "not-used",
      note: "Sundays were not among the options.",
    });
    const object = expectAnswerToMira(await answerTo(replies["not-used"]), replies["not-used"]);
    expect(shownText(object)).toContain(
      `Thank you for your reply to the decision record “${TITLE}”. It was not used, because: Sundays were not among the options.`,
    );
  });

  it("edits the same Note when an outcome changes: an Update, never a second Create", async () => {
    // The reply acknowledged above, whose answer Mira has already had.
    const reply = replies.acknowledged;
    const first = (await answerTo(reply)).object as Json;
    await connexo.services.outcomes.set(decisionId, alice, {
      replies: [reply.id],
      kind: "not-used",
      note: "On a second reading, it asked about Sundays.",
    });
    const update = await eventually(() => notesReceived("Update", reply.id)[0], 15_000, "the Update of the answer");
    const edited = expectAnswerToMira(update, reply);
    expect(edited.id).toBe(first.id);
    // Mastodon applies an edit only when the Note says when it was edited, later than before.
    expect(Date.parse(String(edited.updated))).toBeGreaterThan(Date.parse(String(first.updated ?? first.published)));
    expect(shownText(edited)).toContain(
      `Thank you for your reply to the decision record “${TITLE}”. It was not used, because: On a second reading, it asked about Sundays.`,
    );
    expect(shownText(edited)).not.toContain("has been read and recorded");
    // Once every delivery is done, still the one Create of that Note.
    await eventually(
      async () => (await queryRows(connexo.database, "SELECT id FROM queue_messages WHERE available_at <= ?", [Date.now()])).length === 0,
      15_000,
      "the queues to empty",
    );
    expect(notesReceived("Create", reply.id)).toHaveLength(1);
    expect((await connexo.store.outcomes.find(decisionId, reply.id))?.answerNoteId).toBe(String(first.id).split("/notes/")[1]);
  });
});
