import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_THROTTLE } from "../../src/services/sessions.ts";
import { cookieNames } from "../../src/web/session.ts";
import { page } from "../helpers/html.ts";
import { startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "correct horse battery";
const EVIL = { origin: "https://evil.example" };

async function person(instance: RunningInstance, handle: string, options: { admin?: boolean } = {}) {
  const created = await instance.services.actors.createPerson({
    handle,
    displayName: `${handle[0]!.toUpperCase()}${handle.slice(1)} Example`,
    password: PASSWORD,
  });
  return options.admin ? instance.services.actors.makeAdmin(handle) : created;
}

const setCookie = (res: Response, name: string) => res.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
/** The session cookie's name (it carries the port, so instances on one host keep theirs apart). */
const session = (instance: RunningInstance) => cookieNames(instance.config).session;

/** Whether the page was rendered for someone signed in (the header has a sign-out button). */
const signedIn = (html: string) => page(html).count('form[action="/sign-out"]') > 0;

describe("first-start setup", () => {
  let instance: RunningInstance;
  let secret: string;
  const form = { instanceName: "Digital Service weeknotes", displayName: "Ada Lovelace", handle: "ada", password: PASSWORD };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    secret = (await instance.services.setup.newSecret())!;
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("answers a wrong setup link with a 404 that says how to get a new one", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get("/setup/not-the-secret");
    expect(res.status).toBe(404);
    const notFound = page(client.lastHtml);
    expect(notFound.text()).toContain("This setup link does not work");
    expect(notFound.text()).toContain("npm run connexo -- setup-link");
    expect(notFound.count('[name="instanceName"]')).toBe(0);
  });

  it("shows the form with hints and autocomplete", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get(`/setup/${secret}`);
    expect(res.status).toBe(200);
    const setup = page(client.lastHtml);
    expect(setup.text("h1")).toBe("Set up this instance");
    for (const field of ["instanceName", "displayName", "handle", "password"]) expect(setup.count(`input[name="${field}"]`), field).toBe(1);
    expect(setup.text("#handle-hint")).toContain("1 to 30 of a-z, 0-9 and _");
    expect(setup.text("#password-hint")).toContain("At least 12 characters");
    expect(setup.attr('input[name="handle"]', "autocomplete")).toBe("username");
    expect(setup.attr('input[type="password"]', "autocomplete")).toBe("new-password");
    expect(setup.attr('input[name="displayName"]', "autocomplete")).toBe("name");
  });

  it("shows the form again with each problem next to its field, keeping the text but not the password", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/setup/${secret}`);
    const res = await client.post(`/setup/${secret}`, {
      instanceName: "",
      displayName: "",
      handle: "Not A Handle",
      password: "too-short",
      jobTitle: "Head of digital",
    });
    expect(res.status).toBe(400);
    const html = client.lastHtml;
    const shown = page(html);
    expect(shown.text(".error-summary h2")).toBe("There is a problem");
    // The summary lists the problems in the order of the fields.
    expect(shown.attrs(".error-summary a", "href")).toEqual(["#instanceName", "#displayName", "#handle", "#password"]);
    expect(shown.text("#instanceName-error")).toContain("Required");
    expect(shown.text("#handle-error")).toContain("Use 1 to 30 of a-z, 0-9 and _");
    expect(shown.text("#password-error")).toContain("At least 12 characters");
    expect(shown.value('input[name="handle"]')).toBe("Not A Handle");
    expect(shown.value('input[name="jobTitle"]')).toBe("Head of digital");
    // Not kept anywhere on the page, in a field or otherwise.
    expect(html).not.toContain("too-short");
    expect(await instance.services.setup.needsSetup()).toBe(true);
  });

  it("refuses a forged post and changes nothing", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/setup/${secret}`);
    expect((await client.post(`/setup/${secret}`, { ...form, _csrf: "forged" })).status).toBe(403);
    expect((await client.post(`/setup/${secret}`, form, EVIL)).status).toBe(403);
    expect(await instance.services.setup.needsSetup()).toBe(true);
    expect(await instance.services.actors.list("person")).toHaveLength(0);
  });

  it("names the instance, creates the administrator, signs them in and shows the first steps", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/setup/${secret}`);
    const res = await client.post(`/setup/${secret}`, { ...form, jobTitle: "Head of digital" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    expect(setCookie(res, session(instance))).toBeDefined();

    const ada = await instance.services.actors.find("ada");
    expect(ada).toMatchObject({ displayName: "Ada Lovelace", isAdmin: true, jobTitle: "Head of digital" });
    expect(await instance.services.setup.instanceName()).toBe("Digital Service weeknotes");

    const admin = await client.get("/admin");
    expect(admin.status).toBe(200);
    const administration = page(client.lastHtml);
    expect(administration.text("h1")).toBe("Administration");
    expect(administration.text("#first-steps")).toBe("First steps");
    expect(administration.text('a.site-name[href="/"]')).toBe("Digital Service weeknotes");
  });

  it("works once: afterwards the same link answers 404 to GET and POST and creates nothing", async () => {
    const client = new WebClient(instance, instance.origin);
    const used = await client.get(`/setup/${secret}`);
    expect(used.status).toBe(404);
    expect(page(client.lastHtml).text()).toContain("set up already");
    // A form kept open in another tab, posted after setup was done.
    await client.get("/sign-in");
    const again = await client.post(`/setup/${secret}`, { ...form, handle: "mallory", instanceName: "Taken over" });
    expect(again.status).toBe(404);
    expect(await instance.services.actors.find("mallory")).toBeNull();
    expect(await instance.services.actors.list("person")).toHaveLength(1);
    expect(await instance.services.setup.instanceName()).toBe("Digital Service weeknotes");
    expect(await instance.services.setup.newSecret()).toBeNull();
  });
});

describe("signing in and out", () => {
  let instance: RunningInstance;

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await person(instance, "alice");
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("shows the sign-in form with autocomplete", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get("/sign-in");
    expect(res.status).toBe(200);
    const form = page(client.lastHtml);
    expect(form.text("h1")).toBe("Sign in");
    expect(form.attr('input[name="handle"]', "autocomplete")).toBe("username");
    expect(form.attr('input[name="password"]', "autocomplete")).toBe("current-password");
    expect(form.count('[name="next"]')).toBe(0);
  });

  it("answers a wrong password with 401, a clear message and the handle kept, and no session", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in");
    const res = await client.post("/sign-in", { handle: "alice", password: "not the password" });
    expect(res.status).toBe(401);
    const form = page(client.lastHtml);
    expect(form.text()).toContain("That handle and password do not match an active account.");
    expect(form.value('input[name="handle"]')).toBe("alice");
    // Not kept anywhere on the page, in a field or otherwise.
    expect(client.lastHtml).not.toContain("not the password");
    expect(setCookie(res, session(instance))).toBeUndefined();
  });

  it("signs in, sets an HttpOnly SameSite=Lax cookie, and sends signed-in people away from the form", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.signIn("alice", PASSWORD);
    expect(res.headers.get("location")).toBe("/");
    const cookie = setCookie(res, session(instance))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
    await client.get("/");
    expect(signedIn(client.lastHtml)).toBe(true);
    const again = await client.get("/sign-in");
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/");
  });

  it("goes back to ?next= when it is a path on this site, and home otherwise", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in?next=/tags/openwork");
    expect(page(client.lastHtml).value('input[name="next"]')).toBe("/tags/openwork");
    const res = await client.post("/sign-in", { handle: "alice", password: PASSWORD, next: "/tags/openwork" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/tags/openwork");

    for (const next of [
      "//evil.example/x",
      "https://evil.example/",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "tags",
    ]) {
      const other = new WebClient(instance, instance.origin);
      await other.get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect(page(other.lastHtml).count('[name="next"]')).toBe(0);
      const answer = await other.post("/sign-in", { handle: "alice", password: PASSWORD, next });
      expect(answer.headers.get("location"), next).toBe("/");
    }
  });

  it("signs out: the session is deleted and the cookie cleared", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn("alice", PASSWORD);
    const secret = client.cookie(session(instance))!;
    expect(await instance.services.sessions.resume(secret)).not.toBeNull();
    await client.get("/");
    const res = await client.post("/sign-out", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(setCookie(res, session(instance))).toMatch(/Max-Age=0/);
    expect(await instance.services.sessions.resume(secret)).toBeNull();
    await client.get("/");
    expect(signedIn(client.lastHtml)).toBe(false);
  });

  it("refuses a forged sign-out and stays signed in", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.signIn("alice", PASSWORD);
    const secret = client.cookie(session(instance))!;
    await client.get("/");
    expect((await client.post("/sign-out", { _csrf: "forged" })).status).toBe(403);
    expect((await client.post("/sign-out", {}, EVIL)).status).toBe(403);
    expect(await instance.services.sessions.resume(secret)).not.toBeNull();
  });

  it("refuses a forged sign-in post", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in");
    expect((await client.post("/sign-in", { handle: "alice", password: PASSWORD, _csrf: "forged" })).status).toBe(403);
    const evil = await client.post("/sign-in", { handle: "alice", password: PASSWORD }, EVIL);
    expect(evil.status).toBe(403);
    expect(setCookie(evil, session(instance))).toBeUndefined();
  });

  it(`answers 429 right after ${SIGN_IN_THROTTLE.perAccount.free} failures for a handle, even with the right password`, async () => {
    await person(instance, "carol");
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in");
    for (let attempt = 1; attempt <= SIGN_IN_THROTTLE.perAccount.free; attempt++) {
      expect((await client.post("/sign-in", { handle: "carol", password: `guess number ${attempt}` })).status).toBe(401);
    }
    const res = await client.post("/sign-in", { handle: "carol", password: PASSWORD });
    expect(res.status).toBe(429);
    const form = page(client.lastHtml);
    expect(form.text()).toContain("Too many failed sign-ins");
    expect(form.value('input[name="handle"]')).toBe("carol");
    expect(setCookie(res, session(instance))).toBeUndefined();
    // Another account is not locked out by carol's failures.
    await new WebClient(instance, instance.origin).signIn("alice", PASSWORD);
  });

  it("does not let a deactivated person sign in, and ends the sessions they had", async () => {
    const admin = await person(instance, "ada", { admin: true });
    await person(instance, "bob");
    const bob = new WebClient(instance, instance.origin);
    await bob.signIn("bob", PASSWORD);
    await bob.get("/");
    expect(signedIn(bob.lastHtml)).toBe(true);

    await instance.services.actors.deactivate(admin, "bob");
    await bob.get("/");
    expect(signedIn(bob.lastHtml)).toBe(false);
    expect(bob.cookie(session(instance))).toBeUndefined();

    const again = new WebClient(instance, instance.origin);
    await again.get("/sign-in");
    expect((await again.post("/sign-in", { handle: "bob", password: PASSWORD })).status).toBe(401);
  });
});

describe("cookies and client addresses", () => {
  let https: RunningInstance;
  let proxied: RunningInstance;
  const httpsOrigin = "https://connexo.example";

  beforeAll(async () => {
    [https, proxied] = await Promise.all([
      startInstance({ CONNEXO_ORIGIN: httpsOrigin }, { serve: false, worker: false }),
      startInstance({ CONNEXO_TRUST_PROXY: "true" }, { serve: false, worker: false }),
    ]);
    await person(https, "alice");
  });
  afterAll(async () => {
    await Promise.all([https?.stop(), proxied?.stop()]);
  });

  it("uses Secure __Host- cookies on https", async () => {
    const client = new WebClient(https, httpsOrigin);
    const form = await client.get("/sign-in");
    expect(setCookie(form, "__Host-connexo_csrf")).toMatch(/; Secure/);
    const res = await client.signIn("alice", PASSWORD);
    const cookie = setCookie(res, "__Host-connexo_session")!;
    expect(cookie).toBeDefined();
    for (const flag of [/; Secure/, /; HttpOnly/, /; SameSite=Lax/, /; Path=\/(;|$)/]) expect(cookie).toMatch(flag);
    expect(cookie).not.toMatch(/Domain=/i);
    expect(session(https)).toBe("__Host-connexo_session");
    await client.get("/");
    expect(signedIn(client.lastHtml)).toBe(true);
  });

  const failuresFrom = async (instance: RunningInstance, client: string) =>
    (await instance.store.accounts.loginFailures(`client:${client}`, new Date(Date.now() - 60_000))).count;

  it("counts failures against the address the trusted proxy saw", async () => {
    const client = new WebClient(proxied, proxied.origin);
    await client.get("/sign-in");
    const res = await client.post(
      "/sign-in",
      { handle: "nobody", password: "wrong password" },
      { "x-forwarded-for": "198.51.100.7, 203.0.113.9" },
    );
    expect(res.status).toBe(401);
    expect(await failuresFrom(proxied, "203.0.113.9")).toBe(1);
    expect(await failuresFrom(proxied, "198.51.100.7")).toBe(0);
  });

  it("ignores X-Forwarded-For when the proxy is not trusted", async () => {
    const client = new WebClient(https, httpsOrigin);
    await client.get("/sign-in");
    const res = await client.post("/sign-in", { handle: "nobody", password: "wrong password" }, { "x-forwarded-for": "203.0.113.9" });
    expect(res.status).toBe(401);
    expect(await failuresFrom(https, "203.0.113.9")).toBe(0);
    expect(await failuresFrom(https, "unknown")).toBe(1);
  });
});

describe("slowing down guessing, without locking anyone out", () => {
  let instance: RunningInstance;
  /** The instance's clock: tests move it on instead of waiting. */
  let clock = Date.now();
  const { perAccount, perClient } = SIGN_IN_THROTTLE;

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_TRUST_PROXY: "true" }, { serve: false, worker: false, now: () => clock });
    await person(instance, "ada", { admin: true });
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** A sign-in from this client address (the trusted proxy's X-Forwarded-For). */
  const signInFrom = async (address: string, handle: string, password: string) => {
    const client = new WebClient(instance, instance.origin);
    await client.get("/sign-in");
    const res = await client.post("/sign-in", { handle, password }, { "x-forwarded-for": address });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), html: client.lastHtml, client };
  };
  /** Someone guessing at this account from addresses of their own, waiting each time until they may try again. */
  const guessAt = async (handle: string, guesses: number) => {
    for (let i = 1; i <= guesses; i++) {
      clock += perAccount.maxWaitSeconds * 1000;
      expect((await signInFrom(`198.51.100.${i}`, handle, `guess ${i}`)).status).toBe(401);
    }
  };

  it("makes a guesser from one address wait longer and longer, and lets it try again once each wait has passed", async () => {
    const guesser = "203.0.113.9";
    // Each guess at another handle: only the address's failures add up.
    for (let i = 1; i <= perClient.free; i++) expect((await signInFrom(guesser, `nobody${i}`, "wrong password")).status).toBe(401);

    let refused = await signInFrom(guesser, "nobody", "wrong password");
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(perClient.firstWaitSeconds));
    expect(page(refused.html).text()).toContain(`Too many failed sign-ins. Wait ${perClient.firstWaitSeconds} second and try again.`);
    // The refused attempt did not count: waiting the time said is enough.
    clock += perClient.firstWaitSeconds * 1000;
    expect((await signInFrom(guesser, "nobody", "wrong password")).status).toBe(401);

    refused = await signInFrom(guesser, "nobody", "wrong password");
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(perClient.firstWaitSeconds * 2));
    clock += perClient.firstWaitSeconds * 2 * 1000;
    expect((await signInFrom(guesser, "nobody", "wrong password")).status).toBe(401);
    // Another address is not slowed by this one.
    expect((await signInFrom("192.0.2.50", "nobody", "wrong password")).status).toBe(401);
  });

  it("lets the real person in from their own address once a short wait has passed, however many guesses their account had", async () => {
    await person(instance, "carol");
    await guessAt("carol", perAccount.free + 20);

    const refused = await signInFrom("192.0.2.1", "carol", PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.retryAfter).toBe(String(perAccount.maxWaitSeconds));
    expect(page(refused.html).text()).toContain(`Wait ${perAccount.maxWaitSeconds} seconds and try again.`);
    expect(perAccount.maxWaitSeconds).toBeLessThanOrEqual(60);

    clock += perAccount.maxWaitSeconds * 1000;
    const allowed = await signInFrom("192.0.2.1", "carol", PASSWORD);
    expect(allowed.status).toBe(303);
    await allowed.client.get("/");
    expect(signedIn(allowed.client.lastHtml)).toBe(true);
  });

  it("lets an administrator clear an account's failed sign-ins, after which its owner signs in at once", async () => {
    await person(instance, "dave");
    await guessAt("dave", perAccount.free + 3);
    expect((await signInFrom("192.0.2.2", "dave", PASSWORD)).status).toBe(429);

    const admin = new WebClient(instance, instance.origin);
    await admin.signIn("ada", PASSWORD);
    await admin.get("/admin");
    // Offered only for accounts being slowed down.
    const administration = page(admin.lastHtml);
    expect(administration.attr('form[action="/admin/people/dave/clear-sign-in-failures"]', "method")).toBe("post");
    expect(administration.count('[action="/admin/people/ada/clear-sign-in-failures"]')).toBe(0);
    expect((await admin.post("/admin/people/dave/clear-sign-in-failures", { _csrf: "forged" })).status).toBe(403);
    expect((await admin.post("/admin/people/dave/clear-sign-in-failures", {}, EVIL)).status).toBe(403);
    expect((await signInFrom("192.0.2.2", "dave", PASSWORD)).status).toBe(429);

    await admin.get("/admin");
    const cleared = await admin.post("/admin/people/dave/clear-sign-in-failures", {});
    expect(cleared.status).toBe(303);
    expect(cleared.headers.get("location")).toBe("/admin?cleared=dave");
    await admin.get("/admin?cleared=dave");
    const afterwards = page(admin.lastHtml);
    expect(afterwards.text(".notice")).toContain(
      "Dave Example can sign in again at once: the failed sign-ins on their account are cleared.",
    );
    expect(afterwards.count('[action="/admin/people/dave/clear-sign-in-failures"]')).toBe(0);
    expect((await signInFrom("192.0.2.2", "dave", PASSWORD)).status).toBe(303);
  });

  it("lets only administrators clear failed sign-ins", async () => {
    await person(instance, "erin");
    await guessAt("erin", perAccount.free + 3);
    const carol = new WebClient(instance, instance.origin);
    await carol.signIn("carol", PASSWORD);
    await carol.get("/");
    expect((await carol.post("/admin/people/erin/clear-sign-in-failures", {})).status).toBe(403);
    expect((await signInFrom("192.0.2.3", "erin", PASSWORD)).status).toBe(429);
  });
});

describe("accepting an invitation", () => {
  let instance: RunningInstance;
  let secret: string;
  const form = { displayName: "Bob Builder", handle: "bob", password: PASSWORD, jobTitle: "Data scientist" };

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    const admin = await instance.services.actors.createPerson({ handle: "ada", displayName: "Ada Admin", password: PASSWORD });
    await instance.services.actors.makeAdmin("ada");
    secret = (await instance.services.invitations.invite({ ...admin, isAdmin: true }, "Bob, data team")).secret;
  });
  afterAll(async () => {
    await instance?.stop();
  });

  const people = async () => (await instance.services.actors.list("person")).map((p) => p.handle);

  it("shows who invited them, the note, and the form with autocomplete", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get(`/invitations/${secret}`);
    expect(res.status).toBe(200);
    const invitation = page(client.lastHtml);
    expect(invitation.text()).toContain("Ada Admin invited you");
    expect(invitation.text()).toContain("Bob, data team");
    expect(invitation.attr('input[name="displayName"]', "autocomplete")).toBe("name");
    expect(invitation.attr('input[name="handle"]', "autocomplete")).toBe("username");
    expect(invitation.attr('input[name="password"]', "autocomplete")).toBe("new-password");
    expect(invitation.attr('input[name="jobTitle"]', "autocomplete")).toBe("organization-title");
  });

  it("answers a wrong link with a 404 saying to ask an administrator", async () => {
    const client = new WebClient(instance, instance.origin);
    const res = await client.get("/invitations/no-such-invitation");
    expect(res.status).toBe(404);
    expect(page(client.lastHtml).text()).toContain("This invitation link does not work");
    expect(page(client.lastHtml).text()).toContain("Ask an administrator");
  });

  it("answers an expired link with a 404 and creates no one", async () => {
    const admin = (await instance.services.actors.find("ada"))!;
    const expired = await instance.services.invitations.invite(admin, "late", new Date(Date.now() - 8 * 86_400_000));
    const client = new WebClient(instance, instance.origin);
    expect((await client.get(`/invitations/${expired.secret}`)).status).toBe(404);
    await client.get("/sign-in");
    const res = await client.post(`/invitations/${expired.secret}`, { ...form, handle: "latecomer" });
    expect(res.status).toBe(404);
    expect(page(client.lastHtml).text()).toContain("expired");
    expect(await people()).not.toContain("latecomer");
  });

  it("shows the form again with problems next to the fields (400)", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/invitations/${secret}`);
    const res = await client.post(`/invitations/${secret}`, {
      displayName: "",
      handle: "bob!",
      password: "short",
      jobTitle: "Data scientist",
    });
    expect(res.status).toBe(400);
    const shown = page(client.lastHtml);
    expect(shown.text("#displayName-error")).toContain("Required");
    expect(shown.text("#handle-error")).toMatch(/^Error: \S/);
    expect(shown.text("#password-error")).toMatch(/^Error: \S/);
    expect(shown.value('input[name="handle"]')).toBe("bob!");
    expect(shown.value('input[name="jobTitle"]')).toBe("Data scientist");
    expect(await instance.services.invitations.open(secret)).not.toBeNull();
  });

  it("says a taken handle is taken (409) and keeps the invitation usable", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/invitations/${secret}`);
    const res = await client.post(`/invitations/${secret}`, { ...form, handle: "ada" });
    expect(res.status).toBe(409);
    const shown = page(client.lastHtml);
    expect(shown.text("#handle-error")).toContain("Already taken");
    expect(shown.value('input[name="displayName"]')).toBe("Bob Builder");
    expect(await instance.services.invitations.open(secret)).not.toBeNull();
  });

  it("refuses a forged post and creates no one", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/invitations/${secret}`);
    expect((await client.post(`/invitations/${secret}`, { ...form, _csrf: "forged" })).status).toBe(403);
    expect((await client.post(`/invitations/${secret}`, form, EVIL)).status).toBe(403);
    expect(await people()).not.toContain("bob");
    expect(await instance.services.invitations.open(secret)).not.toBeNull();
  });

  it("creates the person, signs them in and takes them to their page", async () => {
    const client = new WebClient(instance, instance.origin);
    await client.get(`/invitations/${secret}`);
    const res = await client.post(`/invitations/${secret}`, form);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/@bob");
    expect(await instance.services.actors.find("bob")).toMatchObject({
      displayName: "Bob Builder",
      jobTitle: "Data scientist",
      isAdmin: false,
    });
    const profile = await client.get("/@bob");
    expect(profile.status).toBe(200);
    expect(signedIn(client.lastHtml)).toBe(true);
    expect(page(client.lastHtml).texts('a[href="/@bob"]')).toContain("Bob Builder");
  });

  it("works once: afterwards GET and POST answer 404 and create no one", async () => {
    const client = new WebClient(instance, instance.origin);
    expect((await client.get(`/invitations/${secret}`)).status).toBe(404);
    await client.get("/sign-in");
    expect((await client.post(`/invitations/${secret}`, { ...form, handle: "bob_again" })).status).toBe(404);
    expect(await people()).toEqual(["ada", "bob"]);
  });
});
