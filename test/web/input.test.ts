import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Decision } from "../../src/domain/decisions.ts";
import type { InputOutcome } from "../../src/domain/outcomes.ts";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { remoteAccount } from "../helpers/remote-account.ts";

const account = remoteAccount;

const zoe = account("zoe", "elsewhere.example");
const yann = account("yann", "other.example");

const recordText = (title: string) => ({ title, question: `${title}?`, context: "Residents asked." });

describe("a person's input and its outcomes (/input)", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let bins: Decision;
  let parks: Decision;
  let lights: Decision;
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 2, 9, minute));
  const recordUrl = (record: Decision) => `${instance.origin}/decisions/${record.post.id}`;

  const get = async (query: string) => {
    const res = await instance.app.request(`${instance.origin}/input${query}`);
    return { status: res.status, shown: page(await res.text()) };
  };

  const reply = (record: Decision, author: RemoteActorInput, n: number, text: string) =>
    instance.services.replies.receive({
      uri: `https://${new URL(author.uri).host}/notes/${n}`,
      inReplyTo: recordUrl(record),
      localPostId: record.post.id,
      author,
      url: `https://${new URL(author.uri).host}/@${author.handle!.split("@")[1]}/${n}`,
      contentHtml: `<p>${text}</p>`,
      publishedAt: at(n),
      updatedAt: null,
    });

  const outcome = (record: Decision, replyUri: string, rest: Pick<InputOutcome, "kind" | "note" | "referral">) =>
    instance.store.outcomes.put({ decisionId: record.post.id, replyUri, answerNoteId: null, setBy: null, setAt: at(50), ...rest });

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "bins" }));
    await seedCommunity(instance, { person: "bob", community: "parks" });
    const { decisions } = instance.services;
    bins = await decisions.propose("bins", alice, recordText("Collect bins weekly"));
    bins = await decisions.open(bins.post.id, alice, { closesAt: new Date(Date.now() + 86_400_000) });
    parks = await decisions.propose("bins", alice, recordText("Open the park later"));
    lights = await decisions.propose("bins", alice, recordText("Dim the street lights"));

    await reply(bins, zoe, 1, "Tuesdays <em>matter</em> to us.");
    await reply(parks, zoe, 2, "Later opening suits families.");
    await reply(lights, zoe, 3, "Nobody asked about the lights.");
    await reply(bins, yann, 4, "Yann's view on bins.");
    await outcome(bins, "https://elsewhere.example/notes/1", { kind: "informed", note: "Showed that Tuesdays matter.", referral: null });
    await outcome(parks, "https://elsewhere.example/notes/2", {
      kind: "referred",
      note: "They run the park.",
      referral: {
        target: "friends@parks.example",
        uri: "https://parks.example/groups/friends",
        name: "Friends of the Park",
        state: "sent",
      },
    });
  });
  afterAll(() => instance?.stop());

  it("shows the form, labelled, with nothing looked up yet", async () => {
    const { status, shown } = await get("");
    expect(status).toBe(200);
    expect(shown.text("h1")).toBe("Your input and its outcomes");
    expect(shown.attr("form", "method")).toBe("get");
    expect(shown.attr("form", "action")).toBe("/input");
    expect(shown.text('label[for="author"]')).toBe("Your handle");
    expect(shown.text('form button[type="submit"]')).toBe("Find my input");
    expect(shown.count("#found-title")).toBe(0);
  });

  it("lists an account's replies newest first, each with its record, status and outcome, and no one else's", async () => {
    const { status, shown } = await get(`?author=${encodeURIComponent("@zoe@elsewhere.example")}`);
    expect(status).toBe(200);
    expect(shown.text("#found-title")).toBe("Input by @zoe@elsewhere.example");
    expect(shown.value("#author")).toBe("@zoe@elsewhere.example");
    expect(shown.texts(".input-list h3")).toEqual(["Dim the street lights", "Open the park later", "Collect bins weekly"]);
    expect(shown.attrs(".input-list h3 a", "href")).toEqual([lights, parks, bins].map((r) => `/decisions/${r.post.id}`));
    expect(shown.texts(".input-list .status")).toEqual(["Proposed", "Proposed", "Open for comment"]);
    expect(shown.texts(".input-list .input-outcome")).toEqual([
      "Outcome: No outcome yet",
      "Outcome: Referred to Friends of the Park: They run the park.",
      "Outcome: Informed the decision: Showed that Tuesdays matter.",
    ]);
    const first = shown.within(".input-list > li:last-child");
    expect(first.text(".prose em")).toBe("matter");
    expect(first.attr(".meta a", "href")).toBe("https://elsewhere.example/@zoe/1");
    expect(shown.text()).not.toContain("Yann's view on bins.");
  });

  it("matches a handle without its first @ and in another case", async () => {
    const { shown } = await get(`?author=${encodeURIComponent("  ZOE@Elsewhere.Example ")}`);
    expect(shown.text("#found-title")).toBe("Input by @zoe@elsewhere.example");
    expect(shown.count(".input-list > li")).toBe(3);
  });

  it("finds an account whose handle was stored without its first @", async () => {
    await reply(lights, { ...account("wren", "birds.example"), handle: "wren@birds.example" }, 5, "Owls need the dark.");
    const { shown } = await get(`?author=${encodeURIComponent("@wren@birds.example")}`);
    expect(shown.texts(".input-list .prose")).toEqual(["Owls need the dark."]);
  });

  it("lists a person's notes here, by @name or by their full handle", async () => {
    const { interactions } = instance.services;
    const note = await interactions.reply(alice, recordUrl(bins), "Weekly, *please*.");
    const noteUri = `${instance.origin}/notes/${note.id}`;
    await outcome(bins, noteUri, { kind: "acknowledged", note: "", referral: null });
    // A note answering something else is not input to a record.
    await interactions.reply(alice, `${instance.origin}/posts/00000000-0000-4000-8000-000000000000`, "Not about a record.");

    const host = new URL(instance.origin).host;
    for (const handle of ["@alice", `@Alice@${host}`]) {
      const { shown } = await get(`?author=${encodeURIComponent(handle)}`);
      expect(shown.text("#found-title")).toBe(`Input by @alice@${host}`);
      expect(shown.texts(".input-list h3")).toEqual(["Collect bins weekly"]);
      expect(shown.text(".input-list .prose")).toBe("Weekly, please.");
      expect(shown.attr(".input-list .meta a", "href")).toBe(noteUri);
      expect(shown.text(".input-list .input-outcome")).toBe("Outcome: Acknowledged");
    }
  });

  it("leaves out a reply a moderator hid, and replies from a blocked domain", async () => {
    const uma = account("uma", "elsewhere.example");
    const vic = account("vic", "blocked.example");
    await reply(bins, uma, 6, "Hidden later.");
    await reply(bins, vic, 7, "From a domain blocked later.");
    const handles = ["@uma@elsewhere.example", "@vic@blocked.example"];
    for (const handle of handles) expect((await get(`?author=${encodeURIComponent(handle)}`)).shown.count(".input-list > li")).toBe(1);
    await instance.services.moderation.hideReply(alice, "https://elsewhere.example/notes/6", "Off topic.");
    await instance.store.domainBlocks.put({ domain: "blocked.example", reason: "Spam.", createdAt: at(60), createdBy: null });
    for (const handle of handles) {
      const { shown } = await get(`?author=${encodeURIComponent(handle)}`);
      expect(shown.text("section[aria-labelledby=found-title] p")).toBe(`No replies by ${handle} to decision records here.`);
    }
  });

  it("says when the handle is not one", async () => {
    const { status, shown } = await get(`?author=${encodeURIComponent("not a handle")}`);
    expect(status).toBe(400);
    expect(shown.text(".error-summary")).toContain("Your handle: give a handle like @name@server.example");
    expect(shown.attr("#author", "aria-invalid")).toBe("true");
    expect(shown.value("#author")).toBe("not a handle");
    expect(shown.count("#found-title")).toBe(0);
  });

  it("says when nothing is found", async () => {
    const { status, shown } = await get(`?author=${encodeURIComponent("@x@y.example")}`);
    expect(status).toBe(200);
    expect(shown.text("#found-title")).toBe("Input by @x@y.example");
    expect(shown.text("section[aria-labelledby=found-title] p")).toBe("No replies by @x@y.example to decision records here.");
    expect(shown.count(".input-list")).toBe(0);
  });
});
