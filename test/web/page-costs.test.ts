import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, RemoteActorInput } from "../../src/domain/types.ts";
import { createServices } from "../../src/services/index.ts";
import { createApp } from "../../src/web/app.tsx";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { countingStore } from "../helpers/counting-store.ts";

const HTML = { accept: "text/html" };

const someone = (n: number): RemoteActorInput => ({
  uri: `https://elsewhere.example/users/r${n}`,
  type: "Person",
  handle: `r${n}@elsewhere.example`,
  name: `Remote ${n}`,
  url: `https://elsewhere.example/@r${n}`,
  iconUrl: null,
  inbox: `https://elsewhere.example/users/r${n}/inbox`,
  sharedInbox: "https://elsewhere.example/inbox",
});

/** Pages are read with a fixed number of queries: more replies, names or records cost nothing more. */
describe("what a page costs", () => {
  let instance: RunningInstance;
  let counting: ReturnType<typeof countingStore>;
  let app: ReturnType<typeof createApp>;
  let alice: Actor;
  const get = (path: string) => app.request(`${instance.origin}${path}`, { headers: HTML });

  /** A published weeknote with this many replies from elsewhere and as many notes written here, by different people. */
  async function weeknoteWithReplies(replies: number): Promise<string> {
    const { weeknotes, interactions, actors } = instance.services;
    const post = await weeknotes.publish("team", alice, { title: `With ${replies}`, summary: "Replies.", body: "Text." });
    const url = `${instance.origin}/posts/${post.id}`;
    for (let n = 0; n < replies; n++) {
      await instance.services.replies.receive({
        uri: `https://elsewhere.example/notes/${post.id}-${n}`,
        inReplyTo: url,
        localPostId: post.id,
        author: someone(n),
        url: null,
        contentHtml: `<p>Reply ${n}</p>`,
        publishedAt: new Date(),
        updatedAt: null,
      });
      const handle = `p${replies}x${n}`;
      const person = await actors.createPerson({ handle, displayName: `Person ${handle}`, password: "a long enough password" });
      await interactions.reply(person, url, `Note ${n}`);
    }
    return post.id;
  }

  /** Commits a change no page shows, so that pages read afresh what they kept. */
  const commitSomething = () => instance.store.settings.set("page_costs_test", String(Math.random()));

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    counting = countingStore(instance.store);
    app = createApp({
      services: createServices(counting.store, { origin: instance.origin, instanceName: instance.config.instanceName }),
      config: instance.config,
      federation: instance.federation.federation,
      contextData: instance.federation.contextData,
      screenSignature: instance.federation.screenSignature,
      logError: () => {},
      now: Date.now,
    });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("shows a weeknote with many replies for what it costs with one", async () => {
    const [one, many] = [await weeknoteWithReplies(1), await weeknoteWithReplies(6)];
    const costOf = (id: string) =>
      counting.cost(async () => {
        const res = await get(`/posts/${id}`);
        expect(res.status).toBe(200);
        const text = page(await res.text()).text();
        expect(text).toContain("Remote 0");
        expect(text).toContain("Person p");
      });
    // The first page a process serves also reads the instance's time zone, which it then keeps a few seconds.
    await costOf(one);
    // What a page reads is kept until the next commit (on SQLite): something committed makes it read afresh.
    await commitSomething();
    const withOne = await costOf(one);
    await commitSomething();
    expect(await costOf(many)).toBe(withOne);
    expect(withOne).toBeLessThanOrEqual(10);
    // Until then, a page read again costs less, however many replies it has.
    if (instance.store.commitVersion) expect(await costOf(many)).toBeLessThan(withOne);
  });

  it("shows its moderators a weeknote with many hidden replies for what it costs with few", async () => {
    const services = createServices(counting.store, { origin: instance.origin });
    const [one, many] = [await weeknoteWithReplies(2), await weeknoteWithReplies(5)];
    for (const [id, replies] of [
      [one, 2],
      [many, 5],
    ] as const) {
      for (let n = 0; n < replies; n++) {
        await instance.services.moderation.hideReply(alice, `https://elsewhere.example/notes/${id}-${n}`, `Reason ${n}`);
      }
    }
    const costOf = (id: string) =>
      counting.cost(async () => {
        const post = await services.reading.post(id, "weeknote");
        const seen = await services.reading.postPage(post!, alice);
        expect(seen.mayModerate).toBe(true);
        expect(seen.thread.filter((e) => e.hiddenReason !== null).map((e) => e.hiddenReason)).toContain("Reason 0");
      });
    await commitSomething();
    const withOne = await costOf(one);
    await commitSomething();
    expect(await costOf(many)).toBe(withOne);
    expect(withOne).toBeLessThanOrEqual(13);

    // What a moderator's page kept (hidden replies with their reasons) is never what someone else is shown.
    const post = (await services.reading.post(many, "weeknote"))!;
    const seenByModerator = await services.reading.postPage(post, alice);
    const seenByReader = await services.reading.postPage(post, null);
    expect(seenByModerator.thread.some((e) => e.hiddenReason !== null)).toBe(true);
    expect(seenByReader.thread.every((e) => e.hiddenReason === null)).toBe(true);
    expect(seenByReader.thread.map((e) => e.uri)).not.toContain(`https://elsewhere.example/notes/${many}-0`);
    // A reply that arrives is on the page at once.
    await instance.services.replies.receive({
      uri: `https://elsewhere.example/notes/${many}-late`,
      inReplyTo: `${instance.origin}/posts/${many}`,
      localPostId: many,
      author: someone(99),
      url: null,
      contentHtml: "<p>Late reply</p>",
      publishedAt: new Date(),
      updatedAt: null,
    });
    expect((await services.reading.postPage(post, null)).thread.map((e) => e.uri)).toContain(
      `https://elsewhere.example/notes/${many}-late`,
    );
  });

  it("lists many weeknotes by many people for what one costs, on the front page, a tag and a feed", async () => {
    const { weeknotes, actors } = instance.services;
    const paths = ["/", "/tags/costs", "/feed.atom", "/@team", "/@team/feed.atom"];
    const costs = async () => {
      const found: number[] = [];
      for (const path of paths) found.push(await counting.cost(async () => expect((await get(path)).status, path).toBe(200)));
      return found;
    };
    await weeknotes.publish("team", alice, { title: "The first", summary: "One.", body: "Text.", tags: ["costs"] });
    const before = await costs();
    for (let n = 0; n < 4; n++) {
      const handle = `writer${n}`;
      await actors.createPerson({ handle, displayName: `Writer ${n}`, password: "a long enough password" });
      await actors.addMember("team", handle, "member");
      const writer = (await actors.find(handle))!;
      await weeknotes.publish("team", writer, { title: `By writer ${n}`, summary: "More.", body: "Text.", tags: ["costs"] });
    }
    expect(await costs()).toEqual(before);
  });

  it("shows a decision record naming many people, with a long history, for what a short one costs", async () => {
    const { decisions, actors } = instance.services;
    const text = { title: "A record", question: "What do we do?", context: "Some context." };
    /** A decided record, decided by these people here, after this many edits by as many different people. */
    async function record(people: number): Promise<string> {
      const handles: string[] = [];
      for (let n = 0; n < people; n++) {
        const handle = `d${people}x${n}`;
        await actors.createPerson({ handle, displayName: `Decider ${handle}`, password: "a long enough password" });
        await actors.addMember("team", handle, "facilitator");
        handles.push(handle);
      }
      const { post } = await decisions.propose("team", alice, text);
      for (const [n, handle] of handles.entries()) {
        await decisions.edit(post.id, (await actors.find(handle))!, { ...text, context: `Edited ${n}.` });
      }
      await decisions.decide(post.id, alice, { decision: "This.", rationale: "Because.", deciders: handles.join(", ") });
      return post.id;
    }
    const [short, long] = [await record(1), await record(5)];
    const costOf = (id: string) =>
      counting.cost(async () => {
        const res = await get(`/decisions/${id}`);
        expect(res.status).toBe(200);
        expect(page(await res.text()).text()).toContain("Decider d");
      });
    expect(await costOf(long)).toBe(await costOf(short));
  });

  it("lists many decision records by many people in the registers for what a few cost", async () => {
    const { decisions, actors } = instance.services;
    const paths = ["/decisions", "/decisions?status=decided&tag=costs", "/@team/decisions", "/decisions/feed.atom"];
    const costs = async () => {
      const found: number[] = [];
      for (const path of paths) found.push(await counting.cost(async () => expect((await get(path)).status, path).toBe(200)));
      return found;
    };
    const text = (n: number) => ({ title: `Register ${n}`, question: "What do we do?", context: "Some context.", tags: ["costs"] });
    const { post } = await decisions.propose("team", alice, text(0));
    await decisions.decide(post.id, alice, { decision: "This.", rationale: "Because.", deciders: "alice" });
    const before = await costs();
    for (let n = 1; n <= 4; n++) {
      const handle = `registrar${n}`;
      await actors.createPerson({ handle, displayName: `Registrar ${n}`, password: "a long enough password" });
      await actors.addMember("team", handle, "facilitator");
      const person = (await actors.find(handle))!;
      const { post } = await decisions.propose("team", person, text(n));
      if (n % 2 === 0) await decisions.decide(post.id, person, { decision: "That.", rationale: "Because.", deciders: handle });
    }
    const after = await costs();
    expect(after).toEqual(before);
    // Until something is committed (on SQLite), a register read again reads less; then it reads afresh.
    if (instance.store.commitVersion) {
      const again = await costs();
      for (const i of [0, 1, 2]) expect(again[i], paths[i]).toBeLessThan(after[i]!);
      await commitSomething();
      expect(await costs()).toEqual(after);
    }
  });
});
