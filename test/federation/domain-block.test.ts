import type { Context } from "@fedify/fedify";
import { Like, type Recipient } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContextData } from "../../federation/context.ts";
import { sendTo } from "../../federation/delivery-policy.ts";
import { deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually, type RunningInstance, seedCommunity, startInstance } from "../helpers/instance.ts";
import { create, everyKindOfActivity, follow, note, received, startInboxWorld, type InboxWorld } from "./inbox/setup.ts";

/**
 * A blocked domain: what its servers send is refused before its keys are
 * fetched, its accounts stop following anyone here, and nothing more is
 * delivered there. Unblocking lets it in again.
 */
describe("blocked domains", () => {
  let world: InboxWorld;
  let mira: FakeUser;
  let otto: FakeUser;
  let kim: FakeUser;
  let blockedHost: string;

  const followersOf = async (handle: string) => {
    const actor = (await world.connexo.services.actors.find(handle))!;
    return (await world.connexo.store.follows.followers(actor.id, null, 100)).items.map((f) => f.uri);
  };

  beforeAll(async () => {
    world = await startInboxWorld(["mira", "otto"], { elsewhere: ["kim"] });
    mira = world.mastodon.user("mira");
    otto = world.mastodon.user("otto");
    kim = world.elsewhere!.user("kim");
    blockedHost = new URL(world.mastodon.origin).host;
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("ends the follows of the domain's accounts when it is blocked, and logs the block", async () => {
    await world.send(follow(mira, world.teamUri), mira, world.teamInbox);
    await world.send(follow(kim, world.teamUri), kim, world.teamInbox);
    await eventually(async () => (await followersOf("team")).length === 2, 15_000, "mira and kim following @team");
    await world.settled();

    const admin = world.alice;
    await world.connexo.services.actors.makeAdmin(admin.handle);
    const promoted = (await world.connexo.services.actors.find(admin.handle))!;
    const result = await world.connexo.services.federationPolicy.blockDomain(promoted, `http://${blockedHost}/`, "Testing the block.");
    expect(result).toEqual({ domain: blockedHost, followsEnded: 1 });
    expect(await followersOf("team")).toEqual([kim.id]);
    expect(await world.connexo.services.federationPolicy.isDomainBlocked(blockedHost)).toBe(true);

    const log = await world.connexo.services.moderation.log(promoted, { action: "domain.blocked" });
    expect(log.entries.map((e) => [e.subject, e.reason, e.actorId])).toEqual([[blockedHost, "Testing the block.", promoted.id]]);
  });

  it("refuses a signed activity from the domain with 403, without asking its server for the key, storing nothing", async () => {
    const getsBefore = [...world.mastodon.gets];
    for (const activity of everyKindOfActivity(world, otto, note(otto))) {
      expect((await deliver(world.sharedInbox, activity, otto)).status, String(activity.type)).toBe(403);
    }
    expect((await deliver(world.teamInbox, follow(otto, world.teamUri), otto)).status).toBe(403);
    // Not even the key (nor the actor) was fetched.
    expect(world.mastodon.gets).toEqual(getsBefore);
    await world.settled();
    expect(await world.connexo.store.remoteActors.findByUri(otto.id)).toBeNull();
    expect(await followersOf("team")).not.toContain(otto.id);
    // Other servers are not affected.
    expect((await deliver(world.sharedInbox, create(kim, note(kim)), kim)).status).toBe(202);
  });

  it("does not deliver there what is published after the block", async () => {
    // A follower on the blocked domain that is still on record is left out of the fan-out too.
    const team = (await world.connexo.services.actors.find("team"))!;
    const remote = (await world.connexo.store.remoteActors.findByUri(mira.id))!;
    await world.connexo.store.follows.addFollower(team.id, remote.id, `${mira.id}#follows/kept`);

    const post = await world.connexo.services.weeknotes.publish("team", world.alice, {
      title: "Week 50: after the block",
      summary: "Only for those we deal with.",
      body: "Not for blocked domains.",
    });
    const mentions = (activity: Record<string, unknown>) => JSON.stringify(activity).includes(post.id);
    await eventually(() => received(world.elsewhere!).some(mentions), 20_000, "kim's server receiving the post");
    await world.settled();
    expect(received(world.mastodon).filter(mentions)).toEqual([]);
  });

  it("sends nothing there directly either: every activity leaves through one check", async () => {
    const sends: { identifier: string; to: string[] }[] = [];
    const ctx = {
      data: { services: world.connexo.services },
      sendActivity: async (sender: { identifier: string }, recipients: Recipient[]) => {
        sends.push({ identifier: sender.identifier, to: recipients.map((r) => r.id!.href) });
      },
    } as unknown as Context<ContextData>;
    const recipient = (user: FakeUser, inbox = user.inbox): Recipient => ({ id: new URL(user.id), inboxId: new URL(inbox) });
    const like = new Like({
      id: new URL(`${world.connexo.origin}/activities/like-test`),
      actor: new URL(world.teamUri),
      object: new URL(kim.id),
    });

    // A Follow, an answer or a like to one account on the blocked domain is not sent at all.
    expect(await sendTo(ctx, "team", recipient(mira), like)).toEqual([]);
    // Nor to an inbox on the blocked domain for an actor elsewhere.
    expect(await sendTo(ctx, "team", recipient(kim, `${world.mastodon.origin}/inbox`), like)).toEqual([]);
    // Among several recipients, only the blocked domain's are left out.
    const sent = await sendTo(ctx, "team", [recipient(mira), recipient(kim)], like);
    expect(sent.map((r) => r.id?.href)).toEqual([kim.id]);
    expect(sends).toEqual([{ identifier: "team", to: [kim.id] }]);

    // An actor blocked on its own gets nothing, except the Reject of its Follow.
    const lea = world.elsewhere!.addUser("lea");
    await world.connexo.services.accountBlocks.block("command line", lea.id, "Spam.");
    expect(await sendTo(ctx, "team", recipient(lea), like)).toEqual([]);
    expect((await sendTo(ctx, "team", recipient(lea), like, { blockedActors: "send" })).map((r) => r.id?.href)).toEqual([lea.id]);
  });

  it("does not let anyone here start following an account on the domain", async () => {
    for (const target of [`@otto@${blockedHost}`, otto.id]) {
      await expect(world.connexo.services.follows.requestFollow("alice", target)).rejects.toThrow(
        `${blockedHost} is a blocked domain: this instance does not federate with it.`,
      );
    }
    // Other servers are not affected.
    await expect(world.connexo.services.follows.requestFollow("alice", kim.id)).resolves.toMatchObject({ target: kim.id });
  });

  it("lets the domain in again once it is unblocked", async () => {
    await world.connexo.services.federationPolicy.unblockDomain("command line", blockedHost);
    expect(await world.connexo.services.federationPolicy.isDomainBlocked(blockedHost)).toBe(false);
    await world.send(follow(otto, world.teamUri), otto, world.teamInbox);
    await eventually(async () => (await followersOf("team")).includes(otto.id), 15_000, "otto following @team");
    await expect(world.connexo.services.follows.requestFollow("alice", otto.id)).resolves.toMatchObject({ target: otto.id });
  });
});

/**
 * What a blocked domain sent before the block is kept, but nobody sees it
 * while the block lasts: its replies leave pages, counts and the replies
 * collection, its posts leave the network view and communities' lists. Lifting
 * the block brings everything back.
 */
describe("what a blocked domain sent before", () => {
  let instance: RunningInstance;

  const account = (host: string, name: string) => ({
    uri: `https://${host}/users/${name}`,
    type: "Person",
    handle: `@${name}@${host}`,
    name,
    url: null,
    iconUrl: null,
    inbox: `https://${host}/users/${name}/inbox`,
    sharedInbox: null,
  });
  const zoe = account("spam.example", "zoe");
  const sub = account("eu.spam.example", "sub");
  const ann = account("kind.example", "ann");
  const notSpam = account("notspam.example", "ned");

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
  });
  afterAll(() => instance?.stop());

  it("hides replies and posts from the domain and its subdomains while it is blocked, and shows them again after", async () => {
    const { person, community } = await seedCommunity(instance, { person: "alice", community: "team" });
    const { interactions, replies, federationPolicy, publications, weeknotes } = instance.services;
    const { store } = instance;
    const post = await weeknotes.publish("team", person, { title: "Week 1: replies", summary: "Replies welcome.", body: "Answer me." });
    for (const author of [zoe, sub, ann, notSpam]) {
      const saved = await store.remoteActors.upsert(author);
      // Alice follows them all; each replied to the weeknote, published a post, and shared one with the community.
      const following = await store.follows.createFollowing({ id: `f-${author.handle}`, actorId: person.id, target: author.uri }, []);
      await store.follows.resolveFollowing(following.id, saved.id, "accepted");
      const host = new URL(author.uri).host;
      expect(
        await replies.receive({
          uri: `https://${host}/notes/reply`,
          inReplyTo: post.id,
          localPostId: post.id,
          author,
          url: null,
          contentHtml: "<p>A reply</p>",
          publishedAt: new Date(),
          updatedAt: null,
        }),
      ).toMatchObject({ outcome: "accept" });
      const uri = `https://${host}/notes/post`;
      await interactions.receiveRemotePost(
        {
          uri,
          announcedBy: null,
          type: "Note",
          name: null,
          summary: null,
          contentHtml: "<p>Hello</p>",
          url: null,
          inReplyTo: null,
          decision: null,
          publishedAt: new Date(),
          updatedAt: null,
        },
        author,
      );
      expect(await store.memberships.addCommunityPost(community.id, uri, saved.id)).toBe(true);
    }

    const hosts = (uris: string[]) => uris.map((uri) => new URL(uri).host).sort();
    const seen = async () => ({
      replies: hosts((await interactions.replies(post.id)).map((r) => r.uri)),
      collection: hosts((await publications.repliesOf(post.id))!),
      count: await publications.countRepliesOf(post.id),
      counts: (await publications.interactionCounts(post.id)).replies,
      timeline: hosts((await interactions.timeline(person)).map((p) => p.uri)),
      community: hosts((await store.memberships.communityPosts(community.id, null, 10)).map((p) => p.uri)),
    });
    const all = ["eu.spam.example", "kind.example", "notspam.example", "spam.example"];
    const everything = { replies: all, collection: all, count: 4, counts: 4, timeline: all, community: all };
    expect(await seen()).toEqual(everything);

    await federationPolicy.blockDomain("command line", "spam.example", "Spam.");
    const left = ["kind.example", "notspam.example"];
    expect(await seen()).toEqual({ replies: left, collection: left, count: 2, counts: 2, timeline: left, community: left });

    await federationPolicy.unblockDomain("command line", "spam.example");
    expect(await seen()).toEqual(everything);
  });
});

/**
 * In allow-list mode the instance deals only with the domains on its allow
 * list: anything else is refused at the inboxes and sent nothing, and nobody
 * here can follow anyone there. A blocked domain stays refused even if listed.
 */
describe("allow-list mode", () => {
  let instance: RunningInstance;
  let listed: FakeMastodon;
  let unlisted: FakeMastodon;
  let teamUri: string;

  beforeAll(async () => {
    [instance, listed, unlisted] = await Promise.all([
      startInstance({ CONNEXO_FEDERATION_MODE: "allowlist" }),
      FakeMastodon.start(["lis", "lou"]),
      FakeMastodon.start(["una"]),
    ]);
    await seedCommunity(instance, { person: "alice", community: "team" });
    teamUri = `${instance.origin}/@team`;
    await instance.services.federationPolicy.allowDomain("command line", listed.origin, "Our partners.");
  });
  afterAll(async () => {
    await Promise.all([instance?.stop(), listed?.close(), unlisted?.close()]);
  });

  it("refuses with 403 what an unlisted domain sends, without fetching its key, and takes what a listed one sends", async () => {
    const una = unlisted.user("una");
    const getsBefore = [...unlisted.gets];
    expect((await deliver(`${teamUri}/inbox`, follow(una, teamUri), una)).status).toBe(403);
    expect(unlisted.gets).toEqual(getsBefore);
    const lis = listed.user("lis");
    expect((await deliver(`${teamUri}/inbox`, follow(lis, teamUri), lis)).status).toBe(202);
    const team = (await instance.services.actors.find("team"))!;
    await eventually(async () => (await instance.store.follows.countFollowers(team.id)) === 1, 15_000, "lis following @team");
  });

  it("sends only to listed domains, and lets nobody here follow anyone elsewhere", async () => {
    const ctx = {
      data: { services: instance.services },
      sendActivity: async () => {},
    } as unknown as Context<ContextData>;
    const to = (user: FakeUser): Recipient => ({ id: new URL(user.id), inboxId: new URL(user.inbox) });
    const like = new Like({ id: new URL(`${instance.origin}/activities/like-allow`), actor: new URL(teamUri) });
    const sent = await sendTo(ctx, "team", [to(listed.user("lis")), to(unlisted.user("una"))], like, { preferSharedInbox: true });
    expect(sent.map((r) => r.id?.href)).toEqual([listed.user("lis").id]);

    const unlistedHost = new URL(unlisted.origin).host;
    await expect(instance.services.follows.requestFollow("alice", unlisted.user("una").id)).rejects.toThrow(
      `${unlistedHost} is not on the allow list: this instance federates only with the domains listed.`,
    );
    await expect(instance.services.follows.requestFollow("alice", listed.user("lou").id)).resolves.toMatchObject({
      target: listed.user("lou").id,
    });
  });

  it("still refuses a listed domain that is blocked, and one taken off the list", async () => {
    const policy = instance.services.federationPolicy;
    const host = new URL(listed.origin).host;
    expect(await policy.refusesHost(host)).toBe(false);
    await policy.blockDomain("command line", host, "Gone bad.");
    expect(await policy.refusesHost(host)).toBe(true);
    await policy.unblockDomain("command line", host);
    expect(await policy.refusesHost(host)).toBe(false);
    await policy.disallowDomain("command line", host);
    expect(await policy.refusesHost(host)).toBe(true);
    const lou = listed.user("lou");
    expect((await deliver(`${teamUri}/inbox`, follow(lou, teamUri), lou)).status).toBe(403);
    expect((await policy.allowedDomains()).map((a) => a.domain)).toEqual([]);
  });
});
