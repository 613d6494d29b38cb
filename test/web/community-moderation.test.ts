import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const MODERATION = "/@team/moderation";

/** An account elsewhere, as the inbox keeps it once it has followed or replied. */
const remote = (name: string, host = "elsewhere.example") => ({
  uri: `https://${host}/users/${name}`,
  type: "Person",
  handle: `@${name}@${host}`,
  name: `${name} Remote`,
  url: `https://${host}/@${name}`,
  iconUrl: null,
  inbox: `https://${host}/users/${name}/inbox`,
  sharedInbox: null,
});

/** src/web/routes/actors/moderation.tsx and src/services/community-moderation.ts: a community's moderators at /@{community}/moderation. */
describe("a community's moderation page", () => {
  let instance: RunningInstance;
  let team: Actor;
  let ada: Actor;
  let facilitator: WebClient;
  let member: WebClient;
  let admin: WebClient;
  let n = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ community: team } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { actors } = instance.services;
    for (const [handle, name] of [
      ["fay", "Fay Facilitator"],
      ["mo", "Mo Member"],
      ["ada", "Ada Admin"],
    ]) {
      await actors.createPerson({ handle: handle!, displayName: name!, password: PASSWORD });
    }
    await actors.addMember("team", "fay", "facilitator");
    await actors.addMember("team", "mo", "member");
    await actors.makeAdmin("ada");
    ada = (await actors.find("ada"))!;
    facilitator = new WebClient(instance, instance.origin);
    await facilitator.signIn("fay", PASSWORD);
    member = new WebClient(instance, instance.origin);
    await member.signIn("mo", PASSWORD);
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** A new account elsewhere that follows the team, as a Follow received would leave it. */
  async function follower(): Promise<ReturnType<typeof remote>> {
    const account = remote(`zoe${++n}`);
    expect(await instance.services.follows.receiveFollow("team", account, `${account.uri}#follows/1`)).toBe("accepted");
    return account;
  }
  const policyOf = async () => (await instance.services.actors.find("team"))!.replyPolicy;
  const blocked = async () => (await instance.store.communityBlocks.list(team.id)).map((b) => b.actorUri);
  const isFollower = (uri: string) => instance.store.follows.isFollower(team.id, uri);
  const logOf = async (subject: string) =>
    (await instance.services.moderation.log(ada, { subjects: [subject] })).entries.map((e) => ({
      action: e.action,
      communityId: e.communityId,
      reason: e.reason,
      details: e.details,
    }));

  describe("the page", () => {
    it("shows its moderators who may reply, the blocked accounts and the block form, every form with its token", async () => {
      const res = await facilitator.get(MODERATION);
      expect(res.status).toBe(200);
      const p = page(await res.text());
      expect(p.text("h1")).toBe("Moderation of The team");
      expect(p.text("fieldset legend")).toBe("Who may reply to the posts of The team");
      expect(p.count("fieldset input[type=radio][name=policy]")).toBe(4);
      for (const id of p.attrs("input[type=radio]", "id")) expect(p.count(`label[for=${id}]`)).toBe(1);
      expect(p.attr("input[name=policy][checked]", "value")).toBe(await policyOf());
      expect(p.attr("label[for=account]", "for")).toBe("account");
      expect(p.attr("label[for=reason]", "for")).toBe("reason");
      expect(p.texts("h2")).toEqual(expect.arrayContaining(["Replies", "Blocked accounts", "Block an account"]));
      expect(p.count("form[method=post]")).toBe(p.count("form[method=post] input[name=_csrf]"));
      expect(p.attrs("form[method=post]", "action").filter((a) => a?.startsWith(MODERATION))).toEqual([
        `${MODERATION}/reply-policy`,
        `${MODERATION}/block`,
      ]);
      expect(p.text()).toContain("No account is blocked from The team.");
    });

    it("is linked from the community's page for its moderators only", async () => {
      const link = `a[href='${MODERATION}']`;
      expect(page(await (await facilitator.get("/@team")).text()).count(link)).toBe(1);
      expect(page(await (await admin.get("/@team")).text()).count(link)).toBe(1);
      expect(page(await (await member.get("/@team")).text()).count(link)).toBe(0);
    });

    it("answers 403 to a member, 404 for a person, and sends the signed-out to sign in", async () => {
      expect((await member.get(MODERATION)).status).toBe(403);
      expect((await facilitator.get("/@alice/moderation")).status).toBe(404);
      const visitor = new WebClient(instance, instance.origin);
      const res = await visitor.get(MODERATION);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/sign-in?next=/@team/moderation");
      expect((await admin.get(MODERATION)).status).toBe(200);
    });
  });

  describe("choosing who may reply", () => {
    it("saves the policy, says so, and logs it with what it was", async () => {
      const before = await policyOf();
      await facilitator.get(MODERATION);
      const res = await facilitator.post(`${MODERATION}/reply-policy`, { policy: "followers" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${MODERATION}?policy=followers`);
      expect(await policyOf()).toBe("followers");
      const shown = page(await (await facilitator.get(res.headers.get("location")!)).text());
      expect(shown.text(".notice")).toBe("Saved. Who may reply: Followers and members only.");
      expect(shown.attr("input[name=policy][checked]", "value")).toBe("followers");
      expect(await logOf("team")).toContainEqual({
        action: "community.reply-policy",
        communityId: team.id,
        reason: "",
        details: { from: before, to: "followers" },
      });
    });

    it("refuses a policy that is not one, showing the form again with the error, and changes nothing", async () => {
      const before = await policyOf();
      await facilitator.get(MODERATION);
      const res = await facilitator.post(`${MODERATION}/reply-policy`, { policy: "everyone" });
      expect(res.status).toBe(400);
      const shown = page(await res.text());
      expect(shown.text("#policy-error")).toContain("Choose one of open, newcomers, followers, closed");
      expect(shown.text(".error-summary")).toContain("Who may reply");
      expect(await policyOf()).toBe(before);
    });

    it("refuses a member (403) and a form without its token (403)", async () => {
      const before = await policyOf();
      await member.get("/@team");
      expect((await member.post(`${MODERATION}/reply-policy`, { policy: "closed" })).status).toBe(403);
      await facilitator.get(MODERATION);
      expect((await facilitator.post(`${MODERATION}/reply-policy`, { _csrf: "", policy: "closed" })).status).toBe(403);
      expect(await policyOf()).toBe(before);
    });
  });

  describe("blocking an account", () => {
    it("blocks an account by its address: it stops following, is listed with the reason, and the block is logged", async () => {
      const zoe = await follower();
      await facilitator.get(MODERATION);
      const res = await facilitator.post(`${MODERATION}/block`, { account: zoe.uri, reason: "Spam in the replies." });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${MODERATION}?blocked=${encodeURIComponent(zoe.uri)}`);
      expect(await blocked()).toContain(zoe.uri);
      expect(await isFollower(zoe.uri)).toBe(false);
      expect(await logOf(zoe.uri)).toEqual([
        { action: "community.account-blocked", communityId: team.id, reason: "Spam in the replies.", details: { unfollowed: true } },
      ]);

      const shown = page(await (await facilitator.get(res.headers.get("location")!)).text());
      expect(shown.text(".notice")).toBe(`${zoe.handle} is blocked from The team.`);
      const row = shown.within("table tbody tr", zoe.name);
      expect(row.text()).toContain("Spam in the replies.");
      expect(row.attr("a", "href")).toBe(zoe.url);
      expect(row.value("input[name=account]")).toBe(zoe.uri);
      expect(row.text("button")).toBe(`Unblock ${zoe.name}`);
      expect(row.count("input[name=_csrf]")).toBe(1);
    });

    it("blocks an account known here by its handle, with or without the leading @", async () => {
      const first = await follower();
      const second = await follower();
      await facilitator.get(MODERATION);
      expect((await facilitator.post(`${MODERATION}/block`, { account: first.handle.toUpperCase(), reason: "Abuse." })).status).toBe(303);
      expect((await facilitator.post(`${MODERATION}/block`, { account: second.handle.slice(1), reason: "Abuse." })).status).toBe(303);
      expect(await blocked()).toEqual(expect.arrayContaining([first.uri, second.uri]));
    });

    it("refuses an unknown handle, an account of this server, and a missing reason, keeping what was typed", async () => {
      const before = await blocked();
      await facilitator.get(MODERATION);
      const unknown = await facilitator.post(`${MODERATION}/block`, { account: "@nobody@far.example", reason: "Abuse." });
      expect(unknown.status).toBe(400);
      const shown = page(await unknown.text());
      expect(shown.text("#account-error")).toContain("paste the address of the account's profile");
      expect(shown.value("input#account")).toBe("@nobody@far.example");
      expect(shown.value("textarea[name=reason]")).toBe("Abuse.");

      const local = await facilitator.post(`${MODERATION}/block`, { account: `${instance.origin}/@mo`, reason: "Abuse." });
      expect(local.status).toBe(400);
      expect(page(await local.text()).text("#account-error")).toContain("an account of this server");

      const zoe = await follower();
      const noReason = await facilitator.post(`${MODERATION}/block`, { account: zoe.uri, reason: "  " });
      expect(noReason.status).toBe(400);
      const again = page(await noReason.text());
      expect(again.text("#reason-error")).toContain("Say why the account is blocked");
      expect(again.value("input#account")).toBe(zoe.uri);
      const tooLong = await facilitator.post(`${MODERATION}/block`, { account: zoe.uri, reason: "x".repeat(501) });
      expect(tooLong.status).toBe(400);
      expect(page(await tooLong.text()).text("#reason-error")).toContain("At most 500 characters");
      const nonsense = await facilitator.post(`${MODERATION}/block`, { account: "not an account", reason: "Abuse." });
      expect(nonsense.status).toBe(400);

      expect(await blocked()).toEqual(before);
      expect(await isFollower(zoe.uri)).toBe(true);
    });

    it("answers 409 for an account already blocked", async () => {
      const zoe = await follower();
      await instance.services.communityModeration.block(ada, "team", zoe.uri, "First time.");
      await facilitator.get(MODERATION);
      const res = await facilitator.post(`${MODERATION}/block`, { account: zoe.uri, reason: "Again." });
      expect(res.status).toBe(409);
      expect(page(await res.text()).text("#account-error")).toContain("Already blocked");
      expect(await logOf(zoe.uri)).toHaveLength(1);
    });

    it("refuses a member (403) and a form without its token (403)", async () => {
      const zoe = await follower();
      await member.get("/@team");
      expect((await member.post(`${MODERATION}/block`, { account: zoe.uri, reason: "Abuse." })).status).toBe(403);
      await facilitator.get(MODERATION);
      expect((await facilitator.post(`${MODERATION}/block`, { _csrf: "", account: zoe.uri, reason: "Abuse." })).status).toBe(403);
      expect(await blocked()).not.toContain(zoe.uri);
      expect(await isFollower(zoe.uri)).toBe(true);
    });
  });

  describe("unblocking an account", () => {
    it("lifts the block, says so, and logs it; the account may follow again", async () => {
      const zoe = await follower();
      await instance.services.communityModeration.block(ada, "team", zoe.uri, "Spam.");
      expect(await instance.services.follows.receiveFollow("team", zoe, `${zoe.uri}#follows/2`)).toBe("rejected");
      await facilitator.get(MODERATION);
      const res = await facilitator.post(`${MODERATION}/unblock`, { account: zoe.uri });
      expect(res.status).toBe(303);
      expect(await blocked()).not.toContain(zoe.uri);
      expect(page(await (await facilitator.get(res.headers.get("location")!)).text()).text(".notice")).toBe(
        `${zoe.uri} is no longer blocked from The team.`,
      );
      expect((await logOf(zoe.uri)).map((e) => e.action)).toEqual(["community.account-unblocked", "community.account-blocked"]);
      expect(await instance.services.follows.receiveFollow("team", zoe, `${zoe.uri}#follows/3`)).toBe("accepted");
    });

    it("answers 404 for an account that is not blocked, 403 to a member and without the token, and changes nothing", async () => {
      const zoe = await follower();
      await instance.services.communityModeration.block(ada, "team", zoe.uri, "Spam.");
      await facilitator.get(MODERATION);
      expect((await facilitator.post(`${MODERATION}/unblock`, { account: "https://elsewhere.example/users/never" })).status).toBe(404);
      expect((await facilitator.post(`${MODERATION}/unblock`, { _csrf: "", account: zoe.uri })).status).toBe(403);
      await member.get("/@team");
      expect((await member.post(`${MODERATION}/unblock`, { account: zoe.uri })).status).toBe(403);
      expect(await blocked()).toContain(zoe.uri);
    });
  });

  describe("the service", () => {
    it("keeps a blocked account out: its follow and request to join are refused, and nothing of them is kept", async () => {
      const zed = remote("zed");
      await instance.services.communityModeration.block(ada, "team", zed.uri, "Spam.");
      expect(await instance.services.communityModeration.isBlocked(team.id, zed.uri)).toBe(true);
      expect(await instance.services.follows.receiveFollow("team", zed, `${zed.uri}#follows/1`)).toBe("rejected");
      expect(await instance.services.communityMembers.receiveJoin("team", zed, `${zed.uri}#joins/1`)).toBe("refused");
      expect(await isFollower(zed.uri)).toBe(false);
      expect(await instance.store.memberships.memberByActor(team.id, zed.uri)).toBeNull();
      expect(await instance.store.remoteActors.findByUri(zed.uri)).toBeNull();
    });

    it("refuses the posts of a member elsewhere once blocked", async () => {
      const { communityMembers, actors } = instance.services;
      const max = remote("max");
      const fay = (await actors.find("fay"))!;
      const alice = (await actors.find("alice"))!;
      expect(await communityMembers.receiveJoin("team", max, `${max.uri}#joins/1`)).toBe("requested");
      const asked = (await communityMembers.members(team)).find((m) => m.person?.uri === max.uri)!;
      await communityMembers.answerRequest(alice, "team", asked.id, true);
      const postAt = (n: number) => ({
        post: {
          uri: `${max.uri}/statuses/${n}`,
          inReplyTo: null,
          type: "Note",
          name: null,
          summary: null,
          contentHtml: "<p>Buy now</p>",
          url: null,
          announcedBy: null,
          decision: null,
          publishedAt: new Date(),
          updatedAt: null,
        },
        author: max,
        activityUri: `${max.uri}/statuses/${n}/activity`,
      });
      expect(await communityMembers.receiveMemberPost("team", postAt(1))).toBe("shared");
      await instance.services.communityModeration.block(fay, "team", max.uri, "Selling things.");
      expect(await communityMembers.receiveMemberPost("team", postAt(2))).toBe("refused");
      const shared = (await instance.store.memberships.communityPosts(team.id, null, 100)).map((p) => p.uri);
      expect(shared).toContain(`${max.uri}/statuses/1`);
      expect(shared).not.toContain(`${max.uri}/statuses/2`);
      expect(await instance.store.interactions.findRemotePost(`${max.uri}/statuses/2`)).toBeNull();
    });

    it("lets only those who moderate the community list its blocks", async () => {
      const mo = (await instance.services.actors.find("mo"))!;
      await expect(instance.services.communityModeration.blocks(mo, "team")).rejects.toMatchObject({ code: "forbidden" });
      const fay = (await instance.services.actors.find("fay"))!;
      await expect(instance.services.communityModeration.blocks(fay, "alice")).rejects.toMatchObject({ code: "not_found" });
      expect((await instance.services.communityModeration.blocks(fay, "team")).community.id).toBe(team.id);
    });
  });
});
