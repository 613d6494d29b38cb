import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html,application/xhtml+xml" };
const TROLL = "https://elsewhere.example/users/troll";

/** `/admin/account-blocks`: administrators block and unblock single accounts elsewhere; nobody else may. */
describe("blocking accounts on the web", () => {
  let instance: RunningInstance;
  let admin: WebClient;
  let member: WebClient;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "team" });
    await instance.services.actors.makeAdmin("alice");
    await instance.services.actors.createPerson({ handle: "mo", displayName: "Mo Member", password: PASSWORD });
    await instance.services.actors.addMember("team", "mo", "member");
    admin = new WebClient(instance, instance.origin);
    await admin.signIn("alice", PASSWORD);
    // A page first: forms carry the token of the last page fetched.
    await admin.get("/admin/account-blocks", HTML);
    member = new WebClient(instance, instance.origin);
    await member.signIn("mo", PASSWORD);
    await member.get("/", HTML);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const blocked = async () => (await instance.store.accountBlocks.list()).map((b) => [b.uri, b.reason]);

  it("blocks an account with a reason, lists it, and unblocks it, each logged", async () => {
    const res = await admin.post("/admin/account-blocks", { account: TROLL, reason: "Harassment." });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/account-blocks?done=blocked");
    expect(await blocked()).toEqual([[TROLL, "Harassment."]]);
    const listed = page(await (await admin.get("/admin/account-blocks?done=blocked", HTML)).text());
    expect(listed.text("[role=status]")).toBe("The account is blocked.");
    expect(listed.text("table tbody")).toContain(TROLL);
    expect(listed.text("table tbody button")).toBe(`Unblock ${TROLL}`);

    // Anyone reads the account's server and the reason, but not who it is.
    const about = page(await (await new WebClient(instance, instance.origin).get("/about/blocked-domains", HTML)).text());
    expect(about.text("main")).toContain("elsewhere.example");
    expect(about.text("main")).toContain("Harassment.");
    expect(about.text("main")).not.toContain("troll");

    const unblocked = await admin.post("/admin/account-blocks/unblock", { account: TROLL });
    expect(unblocked.status).toBe(303);
    expect(await blocked()).toEqual([]);
    const log = await instance.store.moderationLog.list({ subjects: [TROLL] }, 10, 0);
    expect(log.map((e) => e.action)).toEqual(["account.unblocked", "account.blocked"]);
  });

  it("shows the form again with its errors and what was typed, blocking nothing", async () => {
    const res = await admin.post("/admin/account-blocks", { account: "@nobody@nowhere.example", reason: "" });
    expect(res.status).toBe(400);
    const form = page(await res.text());
    expect(form.text(".error-summary")).toContain("Account");
    expect(form.text(".error-summary")).toContain("Reason");
    expect(form.one("input[name=account]").getAttribute("value")).toBe("@nobody@nowhere.example");
    expect(await blocked()).toEqual([]);
  });

  it("refuses people who are not administrators (403), signed-out visitors (sign in first) and forms without their token (403)", async () => {
    expect((await member.get("/admin/account-blocks", HTML)).status).toBe(403);
    expect((await member.post("/admin/account-blocks", { account: TROLL, reason: "No." })).status).toBe(403);
    const visitor = new WebClient(instance, instance.origin);
    const signedOut = await visitor.get("/admin/account-blocks", HTML);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
    expect((await admin.post("/admin/account-blocks", { account: TROLL, reason: "No.", _csrf: "" })).status).toBe(403);
    expect(await blocked()).toEqual([]);
  });
});
