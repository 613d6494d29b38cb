import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { deliver, type FakeUser } from "../helpers/fake-mastodon.ts";
import { eventually } from "../helpers/instance.ts";
import { create, everyKindOfActivity, follow, like, note, startInboxWorld, type InboxWorld } from "./inbox/setup.ts";

/**
 * Accounts blocked by the instance's administrators: every kind of activity
 * from one is refused before its key is fetched, its follows end, what it
 * sent before is hidden while the block lasts and shows again after, and
 * each block and unblock is in the moderation log.
 */
describe("blocked accounts", () => {
  let world: InboxWorld;
  let admin: Actor;
  let troll: FakeUser;
  let friend: FakeUser;

  const followersOf = async (handle: string) => {
    const actor = (await world.connexo.services.actors.find(handle))!;
    return (await world.connexo.store.follows.followers(actor.id, null, 100)).items.map((f) => f.uri);
  };
  const pageText = async () => (await world.connexo.app.request(world.weeknote.url)).text();

  beforeAll(async () => {
    world = await startInboxWorld(["troll", "friend"]);
    troll = world.mastodon.user("troll");
    friend = world.mastodon.user("friend");
    await world.connexo.services.actors.makeAdmin("alice");
    admin = (await world.connexo.services.actors.find("alice"))!;
  });
  afterAll(async () => {
    await world?.stop();
  });

  it("ends the account's follows, hides its reply, refuses everything it sends unread, and shows the reply again once unblocked", async () => {
    await world.send(follow(troll, world.teamUri), troll, world.teamInbox);
    const reply = note(troll, { inReplyTo: world.weeknote.url, content: "<p>An earlier reply by the troll</p>" });
    await world.send(create(troll, reply), troll, world.teamInbox);
    await world.send(like(troll, world.weeknote.url), troll, world.teamInbox);
    await eventually(async () => (await followersOf("team")).includes(troll.id), 15_000, "the troll following the team");
    await eventually(() => world.connexo.store.interactions.findReplyByUri(String(reply.id)), 15_000, "the troll's reply");
    await eventually(
      async () => (await world.connexo.store.interactions.countReactions(world.weeknote.id)).likes === 1,
      15_000,
      "the like",
    );
    await world.settled();

    // Blocked by the address of its profile page (as Mastodon shows it), which stands for the actor.
    const blocked = await world.connexo.services.accountBlocks.block(admin, `${world.mastodon.origin}/@troll`, "Harassing the team.");
    expect(blocked).toEqual({ uri: troll.id, added: true, followsEnded: 1 });
    expect(await followersOf("team")).not.toContain(troll.id);
    expect(await pageText()).not.toContain("An earlier reply by the troll");

    // Every kind of activity is refused before the key (or anything else) is fetched.
    const getsBefore = [...world.mastodon.gets];
    const activities = everyKindOfActivity(world, troll, reply);
    for (const activity of activities) {
      expect((await deliver(world.sharedInbox, activity, troll)).status, String(activity.type)).toBe(403);
    }
    expect(world.mastodon.gets).toEqual(getsBefore);
    await world.settled();
    const later = (activities[1]!.object as { id: string }).id;
    expect(await world.connexo.store.interactions.findReplyByUri(later)).toBeNull();
    // The like it gave before is no longer counted, nor listed.
    expect(await world.connexo.store.interactions.countReactions(world.weeknote.id)).toEqual({ likes: 0, announces: 0 });
    expect(await world.connexo.store.interactions.reactors(world.weeknote.id, "like")).toEqual([]);
    // The stored reply was neither changed nor deleted: it is hidden, not gone.
    expect(await world.connexo.store.interactions.findReplyByUri(String(reply.id))).not.toBeNull();
    // Others on the same server are not affected.
    expect((await deliver(world.sharedInbox, like(friend, world.weeknote.url), friend)).status).toBe(202);

    await world.connexo.services.accountBlocks.unblock(admin, troll.id);
    expect(await pageText()).toContain("An earlier reply by the troll");
    // The troll's like counts again, beside the friend's.
    await eventually(
      async () => (await world.connexo.store.interactions.countReactions(world.weeknote.id)).likes === 2,
      15_000,
      "both likes",
    );
    const log = await world.connexo.services.moderation.log(admin, {});
    expect(log.entries.filter((e) => e.subject === troll.id).map((e) => [e.action, e.reason])).toEqual([
      ["account.unblocked", ""],
      ["account.blocked", "Harassing the team."],
    ]);
  });

  it("lists blocked accounts for administrators only, and refuses a block without a reason or of an unknown handle", async () => {
    await world.connexo.services.accountBlocks.block("command line", troll.id, "Spam.");
    expect((await world.connexo.services.accountBlocks.list(admin)).map((b) => [b.uri, b.reason, b.account?.uri])).toEqual([
      [troll.id, "Spam.", troll.id],
    ]);
    const member = await world.connexo.services.actors.createPerson({
      handle: "mo",
      displayName: "Mo",
      password: "a long enough password",
    });
    await expect(world.connexo.services.accountBlocks.list(member)).rejects.toThrow("administrators");
    await expect(world.connexo.services.accountBlocks.block(admin, friend.id, " ")).rejects.toThrow("say why");
    await expect(world.connexo.services.accountBlocks.block(admin, "@nobody@nowhere.example", "Spam.")).rejects.toThrow("not known here");
    await expect(world.connexo.services.accountBlocks.block(admin, `${world.connexo.origin}/@alice`, "No.")).rejects.toThrow("this server");
    await expect(world.connexo.services.accountBlocks.unblock(admin, friend.id)).rejects.toThrow("not blocked");
  });
});
