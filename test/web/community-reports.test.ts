import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/types.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";

const remoteAuthor = (name: string, host = "elsewhere.example") => ({
  uri: `https://${host}/users/${name}`,
  type: "Person",
  handle: `@${name}@${host}`,
  name: `${name} Remote`,
  url: `https://${host}/@${name}`,
  iconUrl: null,
  inbox: `https://${host}/users/${name}/inbox`,
  sharedInbox: null,
});

/** src/services/reports.ts and src/web/routes/reports.tsx: those who moderate a community act on the reports about it. */
describe("reports for a community's moderators", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let bob: Actor;
  let ada: Actor;
  let team: Actor;
  let facilitator: WebClient;
  let member: WebClient;
  let admin: WebClient;
  let n = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({ person: alice, community: team } = await seedCommunity(instance, { person: "alice", community: "team" }));
    ({ person: bob } = await seedCommunity(instance, { person: "bob", community: "crew" }));
    const { actors, communityModeration } = instance.services;
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
    // Replies from anyone are shown at once, so that each test's reply is there to report.
    await communityModeration.setReplyPolicy(alice, "team", "open");
    await communityModeration.setReplyPolicy(bob, "crew", "open");
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

  /** A weeknote in the community with a reply from a new account elsewhere, reported; returns the report and the reply's author. */
  async function reportedReply(community: "team" | "crew") {
    const author = remoteAuthor(`zoe${++n}`);
    const post = await instance.services.weeknotes.publish(community, community === "team" ? alice : bob, {
      title: `Bins ${n}`,
      summary: "About bins.",
      body: "Text.",
    });
    const uri = `${author.uri.replace("/users/", "/notes/")}-${post.id}`;
    await instance.services.replies.receive({
      uri,
      inReplyTo: `${instance.origin}/posts/${post.id}`,
      localPostId: post.id,
      author,
      url: null,
      contentHtml: "<p>Something rude</p>",
      publishedAt: new Date(),
      updatedAt: null,
    });
    const report = await instance.services.reports.report({ subject: uri, category: "abuse", note: "", reporter: ada, client: "" });
    return { report, author, reply: uri };
  }
  const reportOf = async (id: string) => (await instance.store.reports.find(id))!;

  it("shows a facilitator the reports about their community only, with only the actions they may take", async () => {
    const ours = await reportedReply("team");
    const theirs = await reportedReply("crew");
    const res = await facilitator.get("/reports");
    expect(res.status).toBe(200);
    const p = page(await res.text());
    expect(p.attrs("a", "href")).toContain(ours.reply);
    expect(p.attrs("a", "href")).not.toContain(theirs.reply);
    const item = p.within("ol.reports > li", ours.reply);
    expect(item.text(".meta")).toContain("In The team");
    expect(item.texts("button[name=action]")).toEqual(["Hide the reply", "Block the account from The team", "Dismiss"]);
    expect(item.count(`form[action$='/forward']`)).toBe(0);
    expect(item.count("input[name=_csrf]")).toBe(1);
    expect(p.count("a[href='/admin']")).toBe(0);
  });

  it("lets an instance administrator still see every report, with every action", async () => {
    const ours = await reportedReply("team");
    const theirs = await reportedReply("crew");
    const p = page(await (await admin.get("/reports")).text());
    expect(p.attrs("a", "href")).toEqual(expect.arrayContaining([ours.reply, theirs.reply]));
    expect(p.within("ol.reports > li", ours.reply).texts("button[name=action]")).toEqual([
      "Hide the reply",
      "Block the account from The team",
      "Block the account",
      "Block the domain",
      "Dismiss",
    ]);
  });

  it("lets a facilitator hide the reply, resolving the report", async () => {
    const { report, reply } = await reportedReply("team");
    await facilitator.get("/reports");
    const res = await facilitator.post(`/reports/${report.id}/resolve`, { action: "hide", note: "Rude." });
    expect(res.status).toBe(303);
    expect((await instance.store.interactions.findReplyByUri(reply))?.state).toBe("hidden");
    expect(await reportOf(report.id)).toMatchObject({ state: "resolved", resolution: "hide" });
  });

  it("lets a facilitator dismiss a report", async () => {
    const { report } = await reportedReply("team");
    await facilitator.get("/reports");
    expect((await facilitator.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "" })).status).toBe(303);
    expect(await reportOf(report.id)).toMatchObject({ state: "dismissed", resolution: "dismiss" });
  });

  it("lets a facilitator block the reply's author from the community, logged with the community", async () => {
    const { report, author } = await reportedReply("team");
    await facilitator.get("/reports");
    const res = await facilitator.post(`/reports/${report.id}/resolve`, { action: "block-in-community", note: "Abusive." });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/reports?done=block-in-community");
    expect(page(await (await facilitator.get("/reports?done=block-in-community")).text()).text(".notice")).toBe(
      "The account is blocked from the community and the report resolved.",
    );
    expect(await instance.store.communityBlocks.isBlocked(team.id, author.uri)).toBe(true);
    expect(await instance.store.accountBlocks.isBlocked(author.uri)).toBe(false);
    expect(await reportOf(report.id)).toMatchObject({ state: "resolved", resolution: "block-in-community" });
    const log = (await instance.services.moderation.log(ada, { communityId: team.id })).entries;
    expect(log.find((e) => e.action === "community.account-blocked" && e.subject === author.uri)?.reason).toBe("Abusive.");
  });

  it("forbids a facilitator to block the account or its domain from the whole instance, or to forward the report", async () => {
    const { report, author } = await reportedReply("team");
    await facilitator.get("/reports");
    const domain = await facilitator.post(`/reports/${report.id}/resolve`, { action: "block-domain", note: "" });
    expect(domain.status).toBe(403);
    expect(page(await domain.text()).text("main")).toContain("Only the instance's administrators can block an account or a domain");
    expect((await facilitator.post(`/reports/${report.id}/resolve`, { action: "block-account", note: "" })).status).toBe(403);
    expect((await facilitator.post(`/reports/${report.id}/forward`, {})).status).toBe(403);
    expect(await reportOf(report.id)).toMatchObject({ state: "open", forwardedAt: null });
    expect(await instance.store.accountBlocks.isBlocked(author.uri)).toBe(false);
    expect(await instance.store.domainBlocks.find("elsewhere.example")).toBeNull();
  });

  it("forbids a facilitator to act on another community's report", async () => {
    const { report, reply } = await reportedReply("crew");
    await facilitator.get("/reports");
    expect((await facilitator.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "" })).status).toBe(403);
    expect((await facilitator.post(`/reports/${report.id}/resolve`, { action: "hide", note: "" })).status).toBe(403);
    expect(await reportOf(report.id)).toMatchObject({ state: "open" });
    expect((await instance.store.interactions.findReplyByUri(reply))?.state).toBe("visible");
  });

  it("refuses a form without its token", async () => {
    const { report } = await reportedReply("team");
    await facilitator.get("/reports");
    expect((await facilitator.post(`/reports/${report.id}/resolve`, { _csrf: "", action: "dismiss", note: "" })).status).toBe(403);
    expect(await reportOf(report.id)).toMatchObject({ state: "open" });
  });

  it("answers 403 to a member who moderates nothing, and sends the signed-out to sign in", async () => {
    const { report } = await reportedReply("team");
    expect((await member.get("/reports")).status).toBe(403);
    await member.get("/@team");
    expect((await member.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "" })).status).toBe(403);
    expect(await reportOf(report.id)).toMatchObject({ state: "open" });
    const visitor = new WebClient(instance, instance.origin);
    expect((await visitor.get("/reports")).headers.get("location")).toBe("/sign-in?next=/reports");
  });
});
