import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * What became of a reply, between two Connexo instances on loopback: Bob on
 * B replies to a consultation of A's council; A gives the reply an outcome,
 * changes it, and refers it to a community on B. Bob's instance shows the
 * outcome beside his reply, and the community there lists what was referred.
 */
describe("outcomes of replies across two instances", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let alice: Actor;
  let bob: Actor;
  let decisionId: string;
  let decisionUrl: string;
  let bobsNoteId: string;
  let bobsNoteUri: string;

  const answersOnB = async () => (await b.store.interactions.replies(bobsNoteId)).filter((r) => r.author?.uri === `${a.origin}/@council`);
  const outcomeOnB = async () => (await b.store.outcomes.elsewhereFor([bobsNoteId]))[0] ?? null;
  const notePageOnB = async () =>
    page(await (await b.app.request(`${b.origin}/notes/${bobsNoteId}`, { headers: { accept: "text/html" } })).text());

  beforeAll(async () => {
    [a, b] = await Promise.all([startInstance(), startInstance()]);
    alice = (await seedCommunity(a, { person: "alice", community: "council" })).person;
    await seedCommunity(b, { person: "rosa", community: "roads" });
    bob = await b.services.actors.createPerson({ handle: "bob", displayName: "Bob Reader", password: "a long enough password" });
    await b.services.follows.requestFollow("bob", `${a.origin}/@council`);
    await eventually(async () => (await b.store.follows.countFollowing(bob.id)) === 1, 15_000, "the Accept");

    const proposed = await a.services.decisions.propose("council", alice, {
      title: "Resurfacing the high street",
      question: "Should the high street be resurfaced this summer?",
      context: "The surface is breaking up.",
    });
    decisionId = proposed.post.id;
    decisionUrl = `${a.origin}/decisions/${decisionId}`;
    await a.services.decisions.open(decisionId, alice, { closesAt: new Date(Date.now() + 7 * 86_400_000) });
    await eventually(async () => (await b.store.interactions.findRemotePost(decisionUrl)) !== null, 15_000, "the record on B");

    const note = await b.services.interactions.reply(bob, decisionUrl, "Please fix the potholes by the school first.");
    bobsNoteId = note.id;
    bobsNoteUri = `${b.origin}/notes/${note.id}`;
    await eventually(async () => (await a.store.interactions.findReplyByUri(bobsNoteUri)) !== null, 15_000, "Bob's reply on A");
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("knows Bob's reply came from another Connexo instance, for the impact figures", async () => {
    expect((await a.store.interactions.findReplyByUri(bobsNoteUri))?.fromConnexo).toBe(true);
    const input = await a.services.outcomes.input((await a.services.decisions.get(decisionId))!);
    expect(input.map((r) => [r.uri, r.origin, r.duringConsultation])).toEqual([[bobsNoteUri, "connexo", true]]);
  });

  it("tells Bob's instance the outcome, which shows it beside his reply; a changed outcome arrives as an Update of the same answer", async () => {
    await a.services.outcomes.set(decisionId, alice, { replies: [bobsNoteUri], kind: "acknowledged" });
    const told = await eventually(async () => outcomeOnB(), 15_000, "the outcome on B");
    expect(told).toMatchObject({ kind: "acknowledged", recordUri: decisionUrl, recordTitle: "Resurfacing the high street" });
    expect(told.answeredBy).toBe(`${a.origin}/@council`);
    const shown = await notePageOnB();
    expect(shown.text("section[aria-labelledby=outcome-title]")).toContain("Acknowledged");
    expect(shown.attrs("section[aria-labelledby=outcome-title] a", "href")).toContain(decisionUrl);

    await a.services.outcomes.set(decisionId, alice, {
      replies: [bobsNoteUri],
      kind: "not-used",
      note: "The school's road is the county's, not ours.",
    });
    const changed = await eventually(
      async () => {
        const outcome = await outcomeOnB();
        return outcome?.kind === "not-used" ? outcome : null;
      },
      15_000,
      "the changed outcome on B",
    );
    expect(changed.note).toBe("The school's road is the county's, not ours.");
    expect(changed.answerUri).toBe(told.answerUri);
    // One answer, edited: Bob's thread on B holds a single reply from the council, in its new words.
    const answers = await answersOnB();
    expect(answers).toHaveLength(1);
    expect(answers[0]!.contentHtml).toContain("It was not used, because: The school");
    expect((await notePageOnB()).text("section[aria-labelledby=outcome-title]")).toContain(
      "Not used: The school's road is the county's, not ours.",
    );
  });

  it("refers the reply to a community on Bob's instance, which lists it; both instances say where it went", async () => {
    await a.services.outcomes.set(decisionId, alice, {
      replies: [bobsNoteUri],
      kind: "referred",
      note: "Roads near schools are yours to mend.",
      referTo: `${b.origin}/@roads`,
    });
    const sent = await eventually(
      async () => {
        const outcome = await a.store.outcomes.find(decisionId, bobsNoteUri);
        return outcome?.referral?.state === "sent" ? outcome : null;
      },
      15_000,
      "the referral sent from A",
    );
    expect(sent.referral).toMatchObject({ uri: `${b.origin}/@roads` });

    const roads = (await b.services.actors.find("roads"))!;
    const filed = await eventually(async () => (await b.store.outcomes.referredTo(roads.id, 10))[0] ?? null, 15_000, "the referral on B");
    expect(filed).toMatchObject({
      objectUri: bobsNoteUri,
      authorUri: `${b.origin}/@bob`,
      authorName: "Bob Reader",
      note: "Roads near schools are yours to mend.",
      referredByUri: `${a.origin}/@council`,
      recordUri: decisionUrl,
    });
    expect(filed.contentHtml).toContain("Please fix the potholes by the school first.");
    const listed = page(await (await b.app.request(`${b.origin}/@roads/referred`, { headers: { accept: "text/html" } })).text());
    expect(listed.text()).toContain("Please fix the potholes by the school first.");
    expect(listed.text()).toContain("Roads near schools are yours to mend.");

    // Bob's instance shows where his reply went; the boost counts of his note are not touched by the referral.
    const told = await eventually(
      async () => {
        const outcome = await outcomeOnB();
        return outcome?.kind === "referred" ? outcome : null;
      },
      15_000,
      "the referral's outcome on B",
    );
    expect(told.referredTo?.uri).toBe(`${b.origin}/@roads`);
    expect((await b.store.interactions.countReactions(bobsNoteId)).announces).toBe(0);
    expect((await notePageOnB()).text("section[aria-labelledby=outcome-title]")).toMatch(/^What became of this reply Referred to /);
  });

  it("says a referral failed when the community elsewhere does not exist", async () => {
    await a.services.outcomes.set(decisionId, alice, { replies: [bobsNoteUri], kind: "referred", referTo: `${b.origin}/@nobody` });
    const failed = await eventually(
      async () => {
        const outcome = await a.store.outcomes.find(decisionId, bobsNoteUri);
        return outcome?.referral?.state === "failed" ? outcome : null;
      },
      15_000,
      "the failed referral",
    );
    expect(failed.referral).toMatchObject({ target: `${b.origin}/@nobody`, uri: null });
  });

  it("takes the outcome back on Bob's instance when the record stops citing his reply", async () => {
    await a.services.outcomes.set(decisionId, alice, { replies: [bobsNoteUri], kind: "informed", note: "It moved the school to the top." });
    await eventually(async () => (await outcomeOnB())?.kind === "informed", 15_000, "the citation on B");
    const record = (await a.services.decisions.get(decisionId))!;
    await a.services.decisions.edit(decisionId, alice, {
      title: record.post.title!,
      question: record.question,
      context: record.context,
      informedBy: [],
    });
    expect((await a.store.outcomes.find(decisionId, bobsNoteUri))?.kind).toBeNull();
    // The answer's Update says so in words, and the document it links no longer states an outcome.
    await eventually(
      async () => (await answersOnB())[0]!.contentHtml.includes("is being considered again") && (await outcomeOnB()) === null,
      15_000,
      "the outcome gone on B",
    );
    expect((await notePageOnB()).count("section[aria-labelledby=outcome-title]")).toBe(0);
  });
});
