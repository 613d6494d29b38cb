import { preloadedContexts } from "@fedify/fedify";
// The bundled build, as Fedify loads it: the package's entry point for Node loads an HTTP client whose
// own undici replaces the global dispatcher that the instance's outgoing limits wrap.
import jsonld from "jsonld/dist/jsonld.esm.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNEXO_NAMESPACE, connexoTerms } from "../../federation/vocab/connexo-context.ts";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * The contexts every server can be expected to know without fetching them.
 * Anything else a document names by URL is a context that servers which
 * never fetch remote contexts cannot read, so the loader refuses it.
 */
const STANDARD_CONTEXTS = [
  "https://www.w3.org/ns/activitystreams",
  "https://w3id.org/security/v1",
  "https://w3id.org/security/data-integrity/v1",
  "https://w3id.org/security/multikey/v1",
  "https://www.w3.org/ns/did/v1",
];

/**
 * Contexts Fedify itself names by URL in what it serves (GoToSocial's
 * interaction policies everywhere, the identity context in activities):
 * every Fedify server sends them, and none of our terms depend on them.
 */
const FEDIFY_CONTEXTS = ["https://gotosocial.org/ns", "https://w3id.org/identity/v1"];

async function knownContextsOnly(url: string) {
  const known = [...STANDARD_CONTEXTS, ...FEDIFY_CONTEXTS].includes(url) && url in preloadedContexts;
  if (!known) throw new Error(`A context that is neither standard nor inlined: ${url}`);
  return { contextUrl: null, document: preloadedContexts[url], documentUrl: url };
}

/** Expanded as a server that knows only the well-known contexts expands it. */
function expand(document: unknown) {
  return jsonld.expand(document, { documentLoader: knownContextsOnly, safe: true });
}

/**
 * The keys no context defines. ActivityStreams' context maps any unknown key
 * to a blank-node property (`@vocab` is `_:`) rather than dropping it, so a
 * term we forgot to define shows up here, meaning nothing to a reader.
 */
function undefinedTerms(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(undefinedTerms);
  if (typeof node !== "object" || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => [...(key.startsWith("_:") ? [key] : []), ...undefinedTerms(value)]);
}

/** What the test publishes, to build the addresses of the objects from. */
interface Seed {
  weeknoteId: string;
  decisionId: string;
  noteId: string;
  /** A community's note answering a reply to the record: it states the reply's outcome. */
  answerId: string;
}

const cx = (term: string) => `${CONNEXO_NAMESPACE}${term}`;
const AS_NS = "https://www.w3.org/ns/activitystreams#";

/**
 * Each kind of object we serve to other servers, with what else to check in
 * its expanded form. A new kind of object belongs here.
 */
const objects: { kind: string; url: (seed: Seed) => string; check?: (expanded: Record<string, unknown>[]) => void }[] = [
  { kind: "a person actor", url: () => "/@alice" },
  { kind: "a community (Group) actor", url: () => "/@council" },
  { kind: "the instance actor", url: () => "/@instance" },
  { kind: "a weeknote Article", url: ({ weeknoteId }) => `/posts/${weeknoteId}` },
  {
    kind: "a decision record document",
    url: ({ decisionId }) => `/decisions/${decisionId}`,
    check: (expanded) => {
      expect(expanded[0]?.[cx("decisionStatus")]).toEqual([{ "@value": "open" }]);
      expect(expanded[0]?.[cx("decisionQuestion")]).toEqual([{ "@value": "Should the library open late on Thursdays?" }]);
    },
  },
  { kind: "a Note (a reply written here)", url: ({ noteId }) => `/notes/${noteId}` },
  {
    kind: "a community's answer to a reply (a Note linking its outcome)",
    url: ({ answerId }) => `/notes/${answerId}`,
    check: (expanded) => {
      const tags = (expanded[0]?.[`${AS_NS}tag`] ?? []) as Record<string, unknown>[];
      const link = tags.find((tag) => (tag["@type"] as string[] | undefined)?.includes(`${AS_NS}Link`));
      expect(link?.[`${AS_NS}rel`]).toEqual([{ "@value": cx("outcome") }]);
      expect(link?.[`${AS_NS}href`]).toEqual([{ "@id": expect.stringMatching(/\/notes\/[0-9a-f-]{36}\/outcome$/) }]);
    },
  },
  {
    kind: "what became of a reply (an outcome document)",
    url: ({ answerId }) => `/notes/${answerId}/outcome`,
    check: (expanded) => {
      const [outcome] = expanded;
      expect(outcome?.["@type"]).toEqual([cx("ReplyOutcome")]);
      expect(outcome?.[cx("outcome")]).toEqual([{ "@value": "referred" }]);
      expect(outcome?.[cx("note")]).toEqual([{ "@value": "The opening hours are theirs to set." }]);
      const [to] = (outcome?.[cx("referredTo")] ?? []) as Record<string, unknown>[];
      expect(to?.["@id"]).toMatch(/\/@library$/);
      expect(to?.[`${AS_NS}name`]).toEqual([{ "@value": "The library" }]);
    },
  },
  { kind: "the followers collection", url: () => "/@council/followers" },
  { kind: "the outbox collection", url: () => "/@council/outbox" },
  { kind: "a page of the outbox", url: () => "/@council/outbox?cursor=" },
  { kind: "a stored activity", url: ({ weeknoteId }) => `/activities/announce-${weeknoteId}` },
];

/** Each object we serve is readable by a server that fetches no context beyond the well-known ones. */
describe("JSON-LD contexts of what we serve", () => {
  let instance: RunningInstance;
  const seed: Seed = { weeknoteId: "", decisionId: "", noteId: "", answerId: "" };
  const getJson = async (path: string) => {
    const res = await fetch(new URL(path, instance.origin), { headers: { accept: "application/activity+json" } });
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    instance = await startInstance();
    const { person: alice } = await seedCommunity(instance, { person: "alice", community: "council" });
    const { weeknotes, decisions, interactions } = instance.services;
    const weeknote = await weeknotes.publish("council", alice, { title: "Week 1", summary: "What happened.", body: "We met." });
    seed.weeknoteId = weeknote.id;
    const proposed = await decisions.propose("council", alice, {
      title: "Late opening",
      question: "Should the library open late on Thursdays?",
      context: "Visitors asked for evening hours.",
      options: [{ title: "Yes", description: "Open until nine." }],
      tags: [],
    });
    seed.decisionId = proposed.post.id;
    await decisions.open(seed.decisionId, alice, { closesAt: new Date(Date.now() + 7 * 86_400_000) });
    seed.noteId = (await interactions.reply(alice, `${instance.origin}/posts/${weeknote.id}`, "Thanks for writing this up.")).id;
    // A reply to the record, referred to another community here: its answer states the outcome.
    await seedCommunity(instance, { person: "bob", community: "library" });
    const replyUri = `${instance.origin}/notes/${(await interactions.reply(alice, `${instance.origin}/decisions/${seed.decisionId}`, "Thursdays, please.")).id}`;
    await instance.services.outcomes.set(seed.decisionId, alice, {
      replies: [replyUri],
      kind: "referred",
      note: "The opening hours are theirs to set.",
      referTo: "library",
    });
    seed.answerId = (await instance.store.outcomes.find(seed.decisionId, replyUri))!.answerNoteId!;
    // Activities are kept as they are sent, by the queue's worker.
    await eventually(
      async () => (await instance.services.sentActivities.find(`announce-${seed.weeknoteId}`)) !== null,
      15_000,
      "the Announce",
    );
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it.each(objects)("$kind expands with the well-known contexts alone", async ({ url, check }) => {
    const document = await getJson(url(seed));
    const expanded = await expand(document);
    expect(expanded.length).toBeGreaterThan(0);
    expect(undefinedTerms(expanded)).toEqual([]);
    check?.(expanded);
  });

  it("serves Connexo's context, in the stable namespace, at /ns/connexo", async () => {
    const res = await fetch(`${instance.origin}/ns/connexo`);
    expect(res.headers.get("content-type")).toBe("application/ld+json");
    const { "@context": context } = (await res.json()) as { "@context": Record<string, unknown> };
    expect(context.cx).toBe(CONNEXO_NAMESPACE);
    expect(context).toEqual(connexoTerms);
    for (const term of ["role", "organisation", "memberState"]) expect(context[term], term).toEqual({ "@id": `cx:${term}` });
  });
});
