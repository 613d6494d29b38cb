import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../helpers/database.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { WebClient } from "../helpers/web-client.ts";

const PASSWORD = "a long enough password";
const HTML = { accept: "text/html" };
const AS_JSON = { accept: "application/activity+json" };

describe("profiles, edited on the web and seen by other servers", () => {
  let instance: RunningInstance;
  let alice: WebClient;
  let mona: WebClient;

  const png = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 160 } } })
      .png()
      .toBuffer();
  /** The profile form as a browser sends it: the page's fields, these changes, and a picture if given. */
  const send = async (client: WebClient, path: string, fields: Record<string, string>, picture?: Buffer) => {
    await client.get(path, HTML);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (picture) form.append("avatar", new File([new Uint8Array(picture)], "me.png", { type: "image/png" }));
    return client.post(path, form);
  };
  const actorJson = async (handle: string) =>
    (await (await instance.app.request(`${instance.origin}/@${handle}`, { headers: AS_JSON })).json()) as Record<string, any>;
  const updatesQueued = async () =>
    (await queryRows<{ payload: string }>(instance.database, "SELECT payload FROM queue_messages WHERE queue = 'events'"))
      .map((row) => JSON.parse(row.payload) as Record<string, unknown>)
      .filter((event) => event.type === "actor.updated");

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    await seedCommunity(instance, { person: "alice", community: "roads" });
    await instance.services.actors.createPerson({ handle: "mona", displayName: "Mona", password: PASSWORD });
    await instance.services.actors.addMember("roads", "mona", "member");
    alice = new WebClient(instance, instance.origin);
    await alice.signIn("alice", PASSWORD);
    mona = new WebClient(instance, instance.origin);
    await mona.signIn("mona", PASSWORD);
  });
  afterAll(async () => {
    await instance?.stop();
  });

  it("lets a person set their name, job title, bio, links and picture, shown on their page and in their actor", async () => {
    const res = await send(
      alice,
      "/account/profile",
      {
        displayName: "Alice Adeyemi",
        jobTitle: "Head of Roads",
        summary: "I look after the **roads**.",
        linkName0: "Blog",
        linkUrl0: "https://blog.example/alice",
        avatarAlt: "Alice smiling in a hard hat",
      },
      await png(800, 600),
    );
    expect(res.status, alice.lastHtml.slice(0, 1500)).toBe(303);
    expect(res.headers.get("location")).toBe("/account/profile?done=saved");
    const shown = page(await (await alice.get("/account/profile?done=saved", HTML)).text());
    expect(shown.text("[role=status]")).toContain("The profile is saved");

    const person = (await instance.services.actors.find("alice"))!;
    expect(person).toMatchObject({
      displayName: "Alice Adeyemi",
      jobTitle: "Head of Roads",
      summary: "I look after the **roads**.",
      profileLinks: [{ name: "Blog", url: "https://blog.example/alice" }],
      avatarAlt: "Alice smiling in a hard hat",
    });
    // The picture is a square, sized down, served from the media folder.
    const picture = await instance.app.request(`${instance.origin}${person.avatarUrl}`);
    expect(picture.status).toBe(200);
    expect(await sharp(Buffer.from(await picture.arrayBuffer())).metadata()).toMatchObject({ width: 400, height: 400, format: "png" });

    const profile = page(await (await alice.get("/@alice", HTML)).text());
    expect(profile.text("h1")).toBe("Alice Adeyemi");
    expect(profile.attr("img.avatar", "alt")).toBe("Alice smiling in a hard hat");
    expect(profile.one("section[aria-labelledby=about] .prose").innerHTML).toContain("<strong>roads</strong>");
    expect(profile.attrs(".profile-links a", "href")).toEqual(["https://blog.example/alice"]);

    const actor = await actorJson("alice");
    expect(actor.name).toBe("Alice Adeyemi");
    expect(actor.summary).toBe("<p>I look after the <strong>roads</strong>.</p>");
    expect(actor.icon).toMatchObject({
      type: "Image",
      url: `${instance.origin}${person.avatarUrl}`,
      mediaType: "image/png",
      name: "Alice smiling in a hard hat",
    });
    expect(actor.attachment.map((f: { name: string }) => f.name)).toEqual(["Organisation", "Job title", "Blog"]);
    expect(actor.attachment[1].value).toBe("Head of Roads");
    expect(actor.attachment[2].value).toContain('href="https://blog.example/alice" rel="me nofollow noopener noreferrer"');
    expect(actor.published).toMatch(/^\d{4}-/);
    expect(await updatesQueued()).toContainEqual(expect.objectContaining({ type: "actor.updated", actorId: person.id }));
  });

  it("keeps the picture when the form is saved again without a file, and removes it when asked", async () => {
    const before = (await instance.services.actors.find("alice"))!;
    await send(alice, "/account/profile", { displayName: "Alice A.", summary: "", avatarAlt: before.avatarAlt });
    expect((await instance.services.actors.find("alice"))!).toMatchObject({ displayName: "Alice A.", avatarUrl: before.avatarUrl });
    await send(alice, "/account/profile", { displayName: "Alice A.", summary: "", avatarAlt: "", removeAvatar: "1" });
    const after = (await instance.services.actors.find("alice"))!;
    expect(after).toMatchObject({ avatarUrl: null, avatarAlt: "" });
    expect((await actorJson("alice")).icon).toBeUndefined();
  });

  it("shows every problem at once, changing nothing", async () => {
    const before = await instance.services.actors.find("alice");
    const events = (await updatesQueued()).length;
    const res = await send(
      alice,
      "/account/profile",
      {
        displayName: " ",
        summary: "x".repeat(2_001),
        linkName0: "",
        linkUrl0: "javascript:alert(1)",
        avatarAlt: "",
      },
      await png(50, 50),
    );
    expect(res.status).toBe(400);
    const shown = page(await res.text());
    expect(shown.text("title")).toMatch(/^Error: /);
    expect(shown.texts(".error-summary li")).toEqual([
      "Display name: required",
      "Bio: at most 2000 characters",
      "Links: each link needs a short name",
      "Description of the picture: required: describe the picture",
    ]);
    expect(shown.value("#summary")).toHaveLength(2_001);
    expect(await instance.services.actors.find("alice")).toEqual(before);
    expect((await updatesQueued()).length).toBe(events);
  });

  it("refuses a file that is not an image, and more links than a profile shows", async () => {
    const notImage = await send(alice, "/account/profile", { displayName: "Alice", avatarAlt: "A picture" }, Buffer.from("not an image"));
    expect(notImage.status).toBe(400);
    expect(page(await notImage.text()).text("#avatar-error")).toContain("JPEG, PNG, WebP or GIF");
    await expect(
      instance.services.profiles.editPerson((await instance.services.actors.find("alice"))!, {
        displayName: "Alice",
        summary: "",
        avatarAlt: "",
        links: Array.from({ length: 5 }, (_, i) => ({ name: `L${i}`, url: `https://example.org/${i}` })),
      }),
    ).rejects.toThrow("at most 4 links");
  });

  it("lets a community's administrators edit its profile, not its members; signed out asks to sign in; a forged form is refused", async () => {
    const res = await send(
      alice,
      "/@roads/profile",
      {
        displayName: "Roads and Pavements",
        summary: "Keeping the roads safe.",
        description: "We meet on **Tuesdays**.",
        linkName0: "Road works plan",
        linkUrl0: "https://council.example/plan.pdf",
        avatarAlt: "The council's road sign logo",
      },
      await png(300, 300),
    );
    expect(res.status, alice.lastHtml.slice(0, 1500)).toBe(303);
    expect(res.headers.get("location")).toBe("/@roads/profile?done=saved");
    const actor = await actorJson("roads");
    expect(actor.type).toBe("Group");
    expect(actor.summary).toBe("<p>Keeping the roads safe.</p>\n<p>We meet on <strong>Tuesdays</strong>.</p>");
    expect(actor.icon.name).toBe("The council's road sign logo");
    expect(actor.attachment.map((f: { name: string }) => f.name)).toEqual(["Organisation", "Road works plan"]);
    const shown = page(await (await mona.get("/@roads", HTML)).text());
    expect(shown.text("h1")).toBe("Roads and Pavements");
    expect(shown.attrs("a[href]", "href")).not.toContain("/@roads/profile");

    expect((await mona.get("/@roads/profile", HTML)).status).toBe(403);
    const forbidden = await mona.post("/@roads/profile", { displayName: "Taken over", summary: "Mine now." });
    expect(forbidden.status).toBe(403);
    const signedOut = await instance.app.request(`${instance.origin}/@roads/profile`, { headers: HTML });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toContain("/sign-in");
    await alice.get("/@roads/profile", HTML);
    const forged = await alice.post("/@roads/profile", { _csrf: "forged", displayName: "Forged", summary: "Forged." });
    expect(forged.status).toBe(403);
    expect((await instance.services.actors.find("roads"))!.displayName).toBe("Roads and Pavements");
    expect((await mona.get("/@nobody/profile", HTML)).status).toBe(404);
  });

  it("reads and changes a person's profile through the API", async () => {
    const token = await instance.services.tokens.issue("mona");
    const api = (method: string, body?: unknown) =>
      instance.app.request(`${instance.origin}/api/v1/profile`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(await (await api("GET")).json()).toMatchObject({ handle: "mona", displayName: "Mona", bio: "", links: [] });
    const res = await api("PATCH", { jobTitle: "Planner", links: [{ name: "Plans", url: "https://plans.example" }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      displayName: "Mona",
      jobTitle: "Planner",
      links: [{ name: "Plans", url: "https://plans.example" }],
    });
    const refused = await api("PATCH", { displayName: "" });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { fields: Record<string, string> }).fields).toEqual({ displayName: "required" });
    expect((await instance.services.actors.find("mona"))!.jobTitle).toBe("Planner");
  });

  it("keeps a profile's picture when unused images are swept", async () => {
    await send(alice, "/account/profile", { displayName: "Alice", summary: "", avatarAlt: "Alice again" }, await png(64, 64));
    const person = (await instance.services.actors.find("alice"))!;
    const swept = await instance.services.media.sweepUnattached(0, new Date(Date.now() + 60_000));
    expect(swept).toBeGreaterThan(0);
    expect((await instance.app.request(`${instance.origin}${person.avatarUrl}`)).status).toBe(200);
    const icon = (await instance.services.actors.find("roads"))!.avatarUrl!;
    expect((await instance.app.request(`${instance.origin}${icon}`)).status).toBe(200);
  });
});
