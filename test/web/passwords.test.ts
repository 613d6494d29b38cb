import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const NEW_PASSWORD = "a different long password";
const HTML = { accept: "text/html,application/xhtml+xml" };

/**
 * Passwords on the web: changing one's own (`/account/password`), and the
 * one-time links administrators make (`/admin/people/{handle}/password-reset`)
 * and people use (`/password-reset/{secret}`).
 */
describe("passwords on the web", () => {
  let instance: RunningInstance;
  let ahead = 0;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false, now: () => Date.now() + ahead });
    const { actors } = instance.services;
    for (const handle of ["ada", "mo", "kim"]) {
      await actors.createPerson({ handle, displayName: `${handle} Example`, password: PASSWORD });
    }
    await actors.makeAdmin("ada");
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const signedIn = async (handle: string, password = PASSWORD) => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn(handle, password);
    await client.get("/", HTML);
    return client;
  };
  const canSignIn = async (handle: string, password: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in");
    return (await client.post("/sign-in", { handle, password })).status === 303;
  };
  /** Whether a client's session still works: the change form is there rather than the sign-in page. */
  const stillSignedIn = async (client: WebClient) => (await client.get("/account/password", HTML)).status === 200;

  it("changes one's own password, given the current one, ending every other session but this one", async () => {
    const here = await signedIn("mo");
    const elsewhere = await signedIn("mo");
    await here.get("/account/password", HTML);

    const wrong = await here.post("/account/password", { current: "not it at all, no", password: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    const form = page(await wrong.text());
    expect(form.text(".error-summary")).toContain("Current password");
    expect(form.one("input[name=current]").getAttribute("autocomplete")).toBe("current-password");
    const short = await here.post("/account/password", { current: PASSWORD, password: "short" });
    expect(short.status).toBe(400);
    expect(page(await short.text()).text(".error-summary")).toContain("New password");
    expect(await canSignIn("mo", PASSWORD)).toBe(true);

    const done = await here.post("/account/password", { current: PASSWORD, password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/account/password?done=changed");
    expect(await stillSignedIn(here)).toBe(true);
    expect(await stillSignedIn(elsewhere)).toBe(false);
    expect(await canSignIn("mo", PASSWORD)).toBe(false);
    expect(await canSignIn("mo", NEW_PASSWORD)).toBe(true);
  });

  it("refuses the change form without its anti-forgery token, and sends visitors to sign in first", async () => {
    const kim = await signedIn("kim");
    expect((await kim.post("/account/password", { current: PASSWORD, password: NEW_PASSWORD, _csrf: "" })).status).toBe(403);
    expect(await canSignIn("kim", PASSWORD)).toBe(true);
    const visitor = await new WebClient(instance, instance.origin).get("/account/password", HTML);
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get("location")).toContain("/sign-in");
  });

  it("lets an administrator make a one-time reset link, which sets a new password and signs the person out everywhere", async () => {
    const ada = await signedIn("ada");
    const kim = await signedIn("kim");
    expect((await kim.post("/admin/people/kim/password-reset", {})).status).toBe(403);

    await ada.get("/admin", HTML);
    const made = await ada.post("/admin/people/kim/password-reset", {});
    expect(made.status).toBe(200);
    const link = page(await made.text())
      .one("#reset-link")
      .getAttribute("value")!;
    const path = new URL(link).pathname;
    expect(path).toMatch(/^\/password-reset\//);

    const visitor = new WebClient(instance, instance.origin);
    expect(page(await (await visitor.get(path, HTML)).text()).text("main")).toContain("@kim");
    const short = await visitor.post(path, { password: "short" });
    expect(short.status).toBe(400);
    const set = await visitor.post(path, { password: "kim's brand new password" });
    expect(set.status).toBe(200);
    expect(page(await set.text()).text("h1")).toBe("Password changed");
    expect(await stillSignedIn(kim)).toBe(false);
    expect(await canSignIn("kim", "kim's brand new password")).toBe(true);
    // It works once.
    expect((await visitor.get(path, HTML)).status).toBe(404);
    expect((await visitor.post(path, { password: "yet another long password" })).status).toBe(404);
  });

  it("lets a reset link lapse after a day", async () => {
    const ada = await signedIn("ada");
    const made = await ada.post("/admin/people/mo/password-reset", {});
    const path = new URL(
      page(await made.text())
        .one("#reset-link")
        .getAttribute("value")!,
    ).pathname;
    ahead += 25 * 3_600_000;
    try {
      expect((await new WebClient(instance, instance.origin).get(path, HTML)).status).toBe(404);
    } finally {
      ahead = 0;
    }
  });
});
