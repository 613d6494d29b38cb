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

describe("reports on the web", () => {
  let instance: RunningInstance;
  let alice: Actor;
  let ada: Actor;
  let admin: WebClient;
  let member: WebClient;
  let n = 0;

  /** A browser from its own address, signed out. */
  const visitor = (address = `192.0.2.${++n}`) => {
    const client = new WebClient(instance, instance.origin);
    return { client, headers: { "x-forwarded-for": address } };
  };

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_TRUST_PROXY: "true" }, { serve: false, worker: false });
    ({ person: alice } = await seedCommunity(instance, { person: "alice", community: "team" }));
    const { actors } = instance.services;
    await actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await actors.makeAdmin("ada");
    ada = (await actors.find("ada"))!;
    await actors.createPerson({ handle: "bob", displayName: "Bob Builder", password: PASSWORD });
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
    member = new WebClient(instance, instance.origin);
    await member.signIn("bob", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** A weeknote in the team with one reply from elsewhere, by `author`. */
  async function weeknoteWithReply(author = remoteAuthor("zoe")) {
    const post = await instance.services.weeknotes.publish("team", alice, { title: "Bins", summary: "About bins.", body: "Text." });
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
    return { post, reply: uri, author };
  }

  const reportsOf = async () => instance.store.reports.list("open", 1000);
  const logOf = async (subject: string) =>
    (await instance.services.moderation.log(ada, { subjects: [subject] })).entries.map((e) => [e.action, e.reason]);

  it("lets a signed-out visitor report a post from its page, with a category and a note", async () => {
    const { post } = await weeknoteWithReply();
    const { client, headers } = visitor();
    const postPage = page(await (await client.get(`/posts/${post.id}`, headers)).text());
    const link = postPage.attr("a[href^='/reports/new']", "href")!;
    expect(postPage.text("a[href^='/reports/new']")).toBe("Report this post");
    expect(postPage.count(".replies a[href^='/reports/new']")).toBe(1);

    const form = page(await (await client.get(link, headers)).text());
    expect(form.text("fieldset legend")).toBe("Why are you reporting it?");
    expect(form.count("fieldset input[type=radio][name=category]")).toBe(4);
    for (const id of form.attrs("input[type=radio]", "id")) expect(form.count(`label[for=${id}]`)).toBe(1);
    expect(form.attr("label[for=note]", "for")).toBe("note");
    expect(form.text("form button")).toBe("Send report");

    const subject = form.value("input[name=subject]");
    const sent = await client.post("/reports/new", { subject, category: "spam", note: "Selling things." }, headers);
    expect(sent.status).toBe(303);
    expect(sent.headers.get("location")).toBe("/reports/new/sent");
    const made = (await reportsOf()).find((r) => r.subjectUri === `${instance.origin}/posts/${post.id}`)!;
    expect(made).toMatchObject({ subjectKind: "post", category: "spam", note: "Selling things.", reporterId: null, state: "open" });
    expect(made.snapshot).toContain("Text.");
  });

  it("records who reported it when signed in, and shows errors next to the fields", async () => {
    const { reply } = await weeknoteWithReply();
    await member.get(`/reports/new?subject=${encodeURIComponent(reply)}`);
    const bad = await member.post("/reports/new", { subject: reply, category: "", note: "x".repeat(1001) });
    expect(bad.status).toBe(400);
    const shown = page(await bad.text());
    expect(shown.text("#category-error")).toContain("Choose one");
    expect(shown.text("#note-error")).toContain("At most 1000 characters");

    const sent = await member.post("/reports/new", { subject: reply, category: "abuse", note: "Rude." });
    expect(sent.status).toBe(303);
    const bob = await instance.services.actors.find("bob");
    const made = (await reportsOf()).find((r) => r.subjectUri === reply)!;
    expect(made).toMatchObject({ subjectKind: "reply", reporterId: bob!.id, remoteAuthorUri: "https://elsewhere.example/users/zoe" });
    expect(made.snapshot).toBe("<p>Something rude</p>");
  });

  it("refuses a report without the form's token, and one about nothing here", async () => {
    const { post } = await weeknoteWithReply();
    const { client, headers } = visitor();
    await client.get(`/reports/new?subject=/posts/${post.id}`, headers);
    const before = (await reportsOf()).length;
    const forged = await client.post("/reports/new", { _csrf: "forged", subject: `/posts/${post.id}`, category: "spam" }, headers);
    expect(forged.status).toBe(403);
    expect((await client.get("/reports/new?subject=https://nowhere.example/x", headers)).status).toBe(404);
    expect((await reportsOf()).length).toBe(before);
  });

  it("lets a signed-out client make only a few reports an hour", async () => {
    const { post } = await weeknoteWithReply();
    const { client, headers } = visitor("198.51.100.7");
    await client.get(`/reports/new?subject=/posts/${post.id}`, headers);
    for (let i = 0; i < 5; i++) {
      expect((await client.post("/reports/new", { subject: `/posts/${post.id}`, category: "spam" }, headers)).status).toBe(303);
    }
    const refused = await client.post("/reports/new", { subject: `/posts/${post.id}`, category: "spam" }, headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another client, and a person signed in, are not held back.
    const other = visitor("198.51.100.8");
    await other.client.get(`/reports/new?subject=/posts/${post.id}`, other.headers);
    expect((await other.client.post("/reports/new", { subject: `/posts/${post.id}`, category: "spam" }, other.headers)).status).toBe(303);
    await member.get(`/reports/new?subject=/posts/${post.id}`);
    expect((await member.post("/reports/new", { subject: `/posts/${post.id}`, category: "spam" })).status).toBe(303);
  });

  it("shows the reports to administrators only", async () => {
    const { reply } = await weeknoteWithReply();
    await member.get(`/reports/new?subject=${encodeURIComponent(reply)}`);
    await member.post("/reports/new", { subject: reply, category: "abuse", note: "Please look." });
    const report = (await reportsOf()).find((r) => r.subjectUri === reply)!;

    expect((await member.get("/reports")).status).toBe(403);
    expect((await member.get("/admin/reports")).headers.get("location")).toBe("/reports");
    await member.get("/");
    expect((await member.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "" })).status).toBe(403);
    expect((await member.post(`/reports/${report.id}/forward`, {})).status).toBe(403);
    const { client, headers } = visitor();
    expect((await client.get("/reports", headers)).headers.get("location")).toBe("/sign-in?next=/reports");
    expect((await instance.store.reports.find(report.id))!.state).toBe("open");

    const listed = page(await (await admin.get("/reports")).text());
    const item = listed.within("ol.reports > li", "Please look.");
    expect(item.text(".snapshot")).toContain("Something rude");
    expect(item.texts("button")).toEqual([
      "Hide the reply",
      "Block the account from The team",
      "Block the account",
      "Block the domain",
      "Dismiss",
      "Forward to elsewhere.example",
    ]);
    expect(item.count("label")).toBe(1);
  });

  it("hides a reported reply, and logs it", async () => {
    const { reply } = await weeknoteWithReply(remoteAuthor("hid"));
    const report = await instance.services.reports.report({ subject: reply, category: "abuse", note: "", reporter: null, client: "x1" });
    await admin.get("/reports");
    const done = await admin.post(`/reports/${report.id}/resolve`, { action: "hide", note: "Insults." });
    expect(done.status).toBe(303);
    expect((await instance.store.interactions.findReplyByUri(reply))!.state).toBe("hidden");
    expect(await instance.store.reports.find(report.id)).toMatchObject({ state: "resolved", resolution: "hide", resolvedBy: ada.id });
    expect(await logOf(reply)).toEqual(
      expect.arrayContaining([
        ["reply.hidden", "Insults."],
        ["report.resolved", "Insults."],
      ]),
    );
    const shown = page(await (await admin.get(done.headers.get("location")!)).text());
    expect(shown.text("[role=status]")).toContain("The reply is hidden");
  });

  it("blocks the account a report is about, and logs it", async () => {
    const author = remoteAuthor("blo");
    const { reply } = await weeknoteWithReply(author);
    const report = await instance.services.reports.report({ subject: reply, category: "spam", note: "", reporter: null, client: "x2" });
    await admin.get("/reports");
    expect((await admin.post(`/reports/${report.id}/resolve`, { action: "block-account", note: "Spammer." })).status).toBe(303);
    expect(await instance.store.accountBlocks.blockedAmong([author.uri])).toEqual([author.uri]);
    expect(await logOf(author.uri)).toEqual([["account.blocked", "Spammer."]]);
    expect(await logOf(reply)).toEqual([["report.resolved", "Spammer."]]);
  });

  it("blocks the domain a report is about, and logs it", async () => {
    const { reply } = await weeknoteWithReply(remoteAuthor("dom", "bad.example"));
    const report = await instance.services.reports.report({ subject: reply, category: "illegal", note: "", reporter: null, client: "x3" });
    await admin.get("/reports");
    expect((await admin.post(`/reports/${report.id}/resolve`, { action: "block-domain", note: "Illegal material." })).status).toBe(303);
    expect(await instance.services.federationPolicy.isDomainBlocked("bad.example")).toBe(true);
    expect(await logOf("bad.example")).toEqual([["domain.blocked", "Illegal material."]]);
    expect(await logOf(reply)).toEqual([["report.resolved", "Illegal material."]]);
  });

  it("leaves a report open, and nothing done, when its action cannot be taken", async () => {
    const { post } = await weeknoteWithReply();
    const subject = `${instance.origin}/posts/${post.id}`;
    const report = await instance.services.reports.report({ subject, category: "spam", note: "", reporter: null, client: "x5" });
    await admin.get("/reports");
    // A post written here has no account elsewhere to block: the closing is undone with the refused action.
    expect((await admin.post(`/reports/${report.id}/resolve`, { action: "block-account", note: "No." })).status).toBe(400);
    expect(await instance.store.reports.find(report.id)).toMatchObject({ state: "open", resolution: null });
    expect(await logOf(subject)).toEqual([]);
  });

  it("dismisses a report, logs it, and takes it off the list; a closed report cannot be acted on again", async () => {
    const { post } = await weeknoteWithReply();
    const subject = `${instance.origin}/posts/${post.id}`;
    const report = await instance.services.reports.report({ subject, category: "other", note: "Hmm.", reporter: null, client: "x4" });
    let listed = page(await (await admin.get("/reports")).text());
    const item = listed.within("ol.reports > li", "Hmm.");
    // Only dismissing fits a post written here; it came from nowhere else, so there is no Forward.
    expect(item.texts("button")).toEqual(["Dismiss"]);
    expect((await admin.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "Not a problem." })).status).toBe(303);
    expect(await instance.store.reports.find(report.id)).toMatchObject({ state: "dismissed", resolutionNote: "Not a problem." });
    expect(await logOf(subject)).toEqual([["report.dismissed", "Not a problem."]]);
    listed = page(await (await admin.get("/reports")).text());
    expect(listed.text()).not.toContain("Hmm.");
    expect((await admin.post(`/reports/${report.id}/resolve`, { action: "dismiss", note: "" })).status).toBe(409);
  });

  it("forwards a report about a reply from elsewhere, once, in the same transaction as its event", async () => {
    const { reply } = await weeknoteWithReply(remoteAuthor("fwd"));
    const report = await instance.services.reports.report({
      subject: reply,
      category: "spam",
      note: "Spam.",
      reporter: null,
      client: "x5",
    });
    await admin.get("/reports");
    expect((await admin.post(`/reports/${report.id}/forward`, {})).status).toBe(303);
    expect((await instance.store.reports.find(report.id))!.forwardedAt).not.toBeNull();
    expect(await logOf(reply)).toEqual([["report.forwarded", ""]]);
    expect((await admin.post(`/reports/${report.id}/forward`, {})).status).toBe(409);
  });
});

describe("reporting decision records and accounts", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("links a decision record's page to the report form, and reports an account here", async () => {
    const { person: alice } = await seedCommunity(instance, { person: "alice", community: "team" });
    const decision = await instance.services.decisions.propose("team", alice, {
      title: "Meet fortnightly",
      question: "Should we meet every two weeks?",
      context: "Weekly is a lot.",
    });
    const client = new WebClient(instance, instance.origin);
    const record = page(await (await client.get(`/decisions/${decision.post.id}`)).text());
    const link = record.attr(".report-link a", "href")!;
    expect(record.text(".report-link a")).toBe("Report this record");
    const form = page(await (await client.get(link)).text());
    expect(form.text("h1")).toBe("Report Meet fortnightly");
    expect((await client.post("/reports/new", { subject: form.value("input[name=subject]"), category: "other" })).status).toBe(303);

    await client.get("/reports/new?subject=/@alice");
    expect((await client.post("/reports/new", { subject: `${instance.origin}/@alice`, category: "abuse", note: "Fake." })).status).toBe(
      303,
    );
    const reports = await instance.store.reports.list("open", 10);
    expect(reports.map((r) => [r.subjectKind, r.subjectUri])).toEqual([
      ["post", `${instance.origin}/decisions/${decision.post.id}`],
      ["account", `${instance.origin}/@alice`],
    ]);
    expect(reports[1]!.snapshot).toContain("@alice");
  });
});
