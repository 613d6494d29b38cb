import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Post, RemoteActorInput } from "../../src/domain/types.ts";
import { createServices } from "../../src/services/index.ts";
import { ManualClock } from "../helpers/clock.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";
import { remoteAccount } from "../helpers/remote-account.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };
const DAY = 86_400_000;

const someone = remoteAccount;

/**
 * The notifications page and the header's count: each kind appears and
 * leads to what it is about, likes and boosts of one post are grouped,
 * seeing the page marks them read, no one hears of their own doing, and the
 * choice of what also comes by email is a form with its token, for people
 * signed in only.
 */
describe("notifications, on the web", () => {
  const clock = new ManualClock();
  let instance: RunningInstance;
  let alice: Actor;
  let bob: Actor;
  let aliceWeb: WebClient;
  let bobWeb: WebClient;
  let n = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false, now: clock.now });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    bob = await instance.services.actors.createPerson({ handle: "bob", displayName: "Bob Here", password: PASSWORD });
    aliceWeb = new WebClient(instance, instance.origin);
    await aliceWeb.signIn("alice", PASSWORD);
    bobWeb = new WebClient(instance, instance.origin);
    await bobWeb.signIn("bob", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const html = async (client: WebClient, path: string) => {
    const res = await client.get(path, HTML);
    expect(res.status).toBe(200);
    return page(await res.text());
  };
  const weeknote = (title: string): Promise<Post> =>
    instance.services.weeknotes.publish("team", alice, { title, summary: "About it.", body: "Text." });
  const postUrl = (post: Post) => `${instance.origin}/posts/${post.id}`;
  /** Alice's notifications page, read (and so marked read): each entry's text and link, and whether it was new. */
  const shown = async () =>
    (await html(aliceWeb, "/notifications")).all("ol.notifications li").map((li) => ({
      text: li.querySelector("a")!.textContent.trim(),
      href: li.querySelector("a")!.getAttribute("href"),
      unread: li.classList.contains("unread"),
    }));
  /** What is new on alice's page since she last saw it. */
  const entries = async () => (await shown()).filter((entry) => entry.unread);
  const receiveReply = (
    post: Post,
    author: RemoteActorInput,
    text: string,
    inReplyTo = postUrl(post),
    localPostId: string | null = post.id,
  ) => {
    clock.advance(1000);
    return instance.services.replies.receive({
      uri: `https://elsewhere.example/notes/${++n}`,
      inReplyTo,
      localPostId,
      author,
      url: `https://elsewhere.example/@x/${n}`,
      contentHtml: `<p>${text}</p>`,
      publishedAt: new Date(clock.time),
      updatedAt: null,
    });
  };
  const react = (kind: "like" | "announce", post: Post, who: RemoteActorInput) => {
    clock.advance(1000);
    return instance.services.interactions.receiveReaction(kind, `https://elsewhere.example/activities/${++n}`, post.id, who);
  };

  it("tells of a reply from elsewhere and of one written here, each leading to it, and of no one's own", async () => {
    await entries();
    const post = await weeknote("Bins");
    await receiveReply(post, someone("nia"), "A question about bins");
    clock.advance(1000);
    const note = await instance.services.interactions.reply(bob, postUrl(post), "Me too");
    clock.advance(1000);
    await instance.services.interactions.reply(alice, postUrl(post), "Thanks both");
    // Bob is told when his note is answered, here or from elsewhere.
    await receiveReply(post, someone("ola"), "Agreed", `${instance.origin}/notes/${note.id}`, note.id);

    expect(await entries()).toEqual([
      { text: "Bob Here replied to your weeknote “Bins”", href: `${instance.origin}/notes/${note.id}`, unread: true },
      { text: "nia Elsewhere replied to your weeknote “Bins”", href: `/posts/${post.id}`, unread: true },
    ]);
    const bobs = await html(bobWeb, "/notifications");
    expect(bobs.texts("ol.notifications li a")).toEqual(["ola Elsewhere replied to your reply"]);
    expect(bobs.attr("ol.notifications li a", "href")).toBe(`/notes/${note.id}`);
  });

  it("tells of a held reply only once it is approved, and of none refused", async () => {
    await entries();
    const team = (await instance.services.actors.find("team"))!;
    await instance.store.actors.setReplyPolicy(team.id, "newcomers");
    const post = await weeknote("Held");
    expect((await receiveReply(post, someone("new1"), "Held back"))?.outcome).toBe("hold");
    const approved = `https://elsewhere.example/notes/${n}`;
    await instance.store.actors.setReplyPolicy(team.id, "followers");
    expect((await receiveReply(post, someone("new2"), "Refused"))?.outcome).toBe("refuse");
    expect(await entries()).toEqual([]);
    // Bob moderates the team: alice hears of the reply he approves.
    await instance.services.actors.addMember("team", "bob", "facilitator");
    await instance.services.replies.approve((await instance.services.actors.find("bob"))!, approved);
    expect((await entries()).map((e) => e.text)).toEqual(["new1 Elsewhere replied to your weeknote “Held”"]);
    await instance.store.actors.setReplyPolicy(team.id, "open");
  });

  it("groups likes and boosts of one post while they are unread together", async () => {
    await entries();
    const post = await weeknote("Weeknote 12");
    await react("like", post, someone("r1"));
    await react("like", post, someone("r2"));
    await react("announce", post, someone("r1"));
    await react("like", post, someone("r3"));
    // A delivery repeated tells no more.
    await instance.services.interactions.receiveReaction("like", `https://elsewhere.example/activities/${n}`, post.id, someone("r3"));

    const header = await html(aliceWeb, "/communities");
    expect(header.text(`nav a[href="/notifications"]`)).toBe("Notifications (2)");
    const seen = await html(aliceWeb, "/notifications");
    expect(seen.texts("ol.notifications li a").slice(0, 2)).toEqual([
      "3 people liked your weeknote “Weeknote 12”",
      "r1 Elsewhere boosted your weeknote “Weeknote 12”",
    ]);
    expect(seen.text("ol.notifications li")).toContain("r3 Elsewhere, r2 Elsewhere, r1 Elsewhere");
    expect(seen.attrs("ol.notifications li a", "href").slice(0, 2)).toEqual([`/posts/${post.id}`, `/posts/${post.id}`]);
    expect(seen.count("ol.notifications li.unread")).toBe(2);
    // Seen: the page it was shown on already counts none.
    expect(seen.text(`nav a[href="/notifications"]`)).toBe("Notifications");

    // A like after they were seen is news of its own.
    await react("like", post, someone("r4"));
    const later = await shown();
    expect(later.slice(0, 3)).toEqual([
      { text: "r4 Elsewhere liked your weeknote “Weeknote 12”", href: `/posts/${post.id}`, unread: true },
      { text: "3 people liked your weeknote “Weeknote 12”", href: `/posts/${post.id}`, unread: false },
      { text: "r1 Elsewhere boosted your weeknote “Weeknote 12”", href: `/posts/${post.id}`, unread: false },
    ]);
  });

  it("leaves out what was about a post deleted since", async () => {
    await entries();
    const post = await weeknote("Withdrawn");
    await react("like", post, someone("r9"));
    await instance.services.weeknotes.delete(post.id, alice);
    expect(await entries()).toEqual([]);
  });

  it("tells of a mention elsewhere once, and not again for a reply that told of it", async () => {
    await entries();
    const author = someone("mo");
    clock.advance(1000);
    const told = await instance.services.notifications.receiveMention(["alice", "team", "nobody"], {
      uri: "https://elsewhere.example/notes/mention-1",
      url: "https://elsewhere.example/@mo/mention-1",
      author,
    });
    expect(told).toBe(1);
    const post = await weeknote("Mentioned");
    await receiveReply(post, author, "@alice look");
    const again = await instance.services.notifications.receiveMention(["alice"], {
      uri: `https://elsewhere.example/notes/${n}`,
      url: null,
      author,
    });
    expect(again).toBe(0);
    expect(await entries()).toEqual([
      { text: "mo Elsewhere replied to your weeknote “Mentioned”", href: `/posts/${post.id}`, unread: true },
      { text: "mo Elsewhere mentioned you", href: "https://elsewhere.example/@mo/mention-1", unread: true },
    ]);
  });

  it("tells a community's administrators of its new followers, and members of invitations elsewhere", async () => {
    await entries();
    clock.advance(1000);
    expect(await instance.services.follows.receiveFollow("team", someone("fan"), "https://elsewhere.example/follows/1")).toBe("accepted");
    const group = { ...someone("crew", "other.example"), type: "Group", name: "The Crew" };
    clock.advance(1000);
    expect(
      await instance.services.membershipsElsewhere.receiveInvite("alice", group, {
        uri: "https://other.example/invites/1",
        role: "member",
        membershipUri: null,
      }),
    ).toBe(true);
    expect(await entries()).toEqual([
      { text: "The Crew invited you to join as a member", href: "/memberships", unread: true },
      { text: "fan Elsewhere followed The team", href: "https://elsewhere.example/@fan", unread: true },
    ]);
    // Bob is the team's facilitator, not an administrator: he is not told of followers.
    expect((await html(bobWeb, "/notifications")).text("main")).not.toContain("fan Elsewhere");

    // Added to a community here by one of its administrators.
    await instance.services.actors.createPerson({ handle: "cat", displayName: "Cat Here", password: PASSWORD });
    await instance.services.actors.manageMembership(alice, "team", "cat", "observer");
    const cat = new WebClient(instance, instance.origin);
    await cat.signIn("cat", PASSWORD);
    const cats = await html(cat, "/notifications");
    expect(cats.texts("ol.notifications li a")).toEqual(["alice Example added you to The team as an observer"]);
    expect(cats.attr("ol.notifications li a", "href")).toBe("/@team");
  });

  it("tells a person here what became of their replies to decision records, here and elsewhere", async () => {
    await entries();
    const { decisions, outcomes, interactions } = instance.services;
    const record = await decisions.propose("team", alice, {
      title: "Move the depot",
      question: "Should the depot move?",
      context: "The lease ends.",
      tags: "",
      options: [],
    });
    await decisions.open(record.post.id, alice, { closesAt: new Date(clock.time + 7 * DAY) });
    const bobsNote = await interactions.reply(bob, `${instance.origin}/decisions/${record.post.id}`, "Keep it near the station.");
    clock.advance(1000);
    await outcomes.set(record.post.id, alice, { replies: [`${instance.origin}/notes/${bobsNote.id}`], kind: "acknowledged" });
    const bobs = await html(bobWeb, "/notifications");
    expect(bobs.texts("ol.notifications li a")[0]).toBe("Your reply to “Move the depot” was acknowledged and recorded");
    expect(bobs.attr("ol.notifications li a", "href")).toBe(`/notes/${bobsNote.id}`);

    // From another Connexo instance, about alice's note answering its record.
    const elsewhereRecord = "https://other.example/decisions/7";
    const note = await interactions.reply(alice, elsewhereRecord, "My input");
    const told = {
      replyUri: `${instance.origin}/notes/${note.id}`,
      postId: note.id,
      answerUri: "https://other.example/notes/answer-7",
      recordUri: elsewhereRecord,
      recordTitle: "Their record",
      kind: "informed" as const,
      note: "We used it.",
      referredTo: null,
      answeredBy: "https://other.example/@them",
      updatedAt: new Date(clock.time),
    };
    clock.advance(1000);
    expect(await outcomes.receiveElsewhere(told)).toBe(true);
    // The same answer again is no news.
    clock.advance(1000);
    expect(await outcomes.receiveElsewhere(told)).toBe(true);
    const mine = await shown();
    expect(mine.filter((e) => e.text.startsWith("Your reply"))).toEqual([
      { text: "Your reply to “Their record” was cited: it informed the decision", href: `/notes/${note.id}`, unread: true },
    ]);
    // Alice proposed the record: she hears of bob's reply to it, and of nothing she did herself.
    expect(mine.filter((e) => e.text.includes("Move the depot")).map((e) => e.text)).toEqual([
      "Bob Here replied to your decision record “Move the depot”",
    ]);
  });

  it("keeps the header's count to one query, and reads the page in a fixed number however many there are", async () => {
    let calls = 0;
    const counting = new Proxy(instance.store, {
      get(store, key) {
        const value = Reflect.get(store, key, store);
        if (typeof value !== "object" || value === null || key === "transaction") return value;
        return new Proxy(value, {
          get(repo, name) {
            const method = Reflect.get(repo, name, repo);
            return typeof method === "function"
              ? (...args: unknown[]) => {
                  calls++;
                  return method.apply(repo, args);
                }
              : method;
          },
        });
      },
    });
    const services = createServices(counting, { origin: instance.origin, now: clock.now });
    const cost = async (run: () => Promise<unknown>) => {
      const before = calls;
      await run();
      return calls - before;
    };
    expect(await cost(() => services.notifications.unreadCount(alice))).toBe(1);
    /** Alice hears of a like, a reply from elsewhere and one from bob, on a new weeknote each. */
    const more = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const post = await weeknote(`Many ${++n}`);
        await react("like", post, someone(`m${n}`));
        await receiveReply(post, someone(`m${n}`), "Hello");
        clock.advance(1000);
        await instance.services.interactions.reply(bob, postUrl(post), "Hi");
      }
    };
    await more(1);
    const withFew = await cost(() => services.notifications.page(alice));
    await more(6);
    expect(await cost(() => services.notifications.page(alice))).toBe(withFew);
    expect(withFew).toBeLessThanOrEqual(4);
  });

  it("keeps each person's choice of what also comes by email, with the form's token, for people signed in only", async () => {
    const form = await html(aliceWeb, "/notifications/settings");
    expect(form.text("main")).toContain("at most one email an hour");
    expect(form.count("input[type=checkbox][name=kinds]")).toBe(8);
    expect(form.count("input[name=kinds]:checked")).toBe(0);

    const saved = await aliceWeb.post("/notifications/settings", { kinds: ["reply", "like"] });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/notifications/settings?done=saved");
    const again = await html(aliceWeb, "/notifications/settings?done=saved");
    expect(again.attrs("input[name=kinds]:checked", "value")).toEqual(["reply", "like"]);
    expect(again.text("main")).toContain("Your choice is saved.");

    const forged = await aliceWeb.post("/notifications/settings", { kinds: ["mention"], _csrf: "not the token" });
    expect(forged.status).toBe(403);
    const bad = await aliceWeb.post("/notifications/settings", { kinds: ["reply", "gossip"] });
    expect(bad.status).toBe(400);
    expect((await instance.services.notifications.settings(alice)).emailKinds).toEqual(["reply", "like"]);

    const stranger = new WebClient(instance, instance.origin);
    for (const path of ["/notifications", "/notifications/settings"]) {
      const res = await stranger.get(path, HTML);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toContain("/sign-in");
    }
    await stranger.get("/sign-in", HTML);
    const posted = await stranger.post("/notifications/settings", { kinds: ["reply"] });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toContain("/sign-in");
    expect((await html(stranger, "/communities")).count(`nav a[href="/notifications"]`)).toBe(0);
  });
});
