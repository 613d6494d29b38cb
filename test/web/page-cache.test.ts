import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

describe("the page cache for signed-out readers", () => {
  let instance: RunningInstance;
  let person: Awaited<ReturnType<typeof seedCommunity>>["person"];
  let postId: string;
  // The instance's clock: the test moves it on instead of waiting.
  let clock = Date.now();
  const read = async (path: string, cookie?: string) =>
    page(
      await (
        await instance.app.request(`${instance.origin}${path}`, { headers: { accept: "text/html", ...(cookie ? { cookie } : {}) } })
      ).text(),
    );
  const postTitle = async () => (await read(`/posts/${postId}`)).text("h1#post-title");

  beforeAll(async () => {
    instance = await startInstance({ CONNEXO_PAGE_CACHE_SECONDS: "1" }, { serve: false, worker: false, now: () => clock });
    ({ person } = await seedCommunity(instance, { person: "alice", community: "team" }));
    postId = (await instance.services.weeknotes.publish("team", person, { title: "First title", summary: "S.", body: "B." })).id;
  });
  afterAll(() => instance?.stop());

  it("serves a signed-out reader the same page for a second, then renders it afresh", async () => {
    expect(await postTitle()).toBe("First title");
    await instance.services.weeknotes.edit(postId, person, { title: "Second title", summary: "S.", body: "B." });
    expect(await postTitle()).toBe("First title");
    clock += 999;
    expect(await postTitle()).toBe("First title");
    clock += 2;
    expect(await postTitle()).toBe("Second title");
  });

  it("serves the same bytes from the cache as it rendered, whatever the script", async () => {
    const { id } = await instance.services.weeknotes.publish("team", person, {
      title: "Wochenbericht — „Grüße“ 東京 ✓",
      summary: "S.",
      body: "B.",
    });
    const get = () => instance.app.request(`${instance.origin}/posts/${id}`, { headers: { accept: "text/html" } });
    const rendered = await get();
    const cached = await get();
    expect(cached.headers.get("content-type")).toBe(rendered.headers.get("content-type"));
    const [first, second] = [new Uint8Array(await rendered.arrayBuffer()), new Uint8Array(await cached.arrayBuffer())];
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(page(new TextDecoder().decode(second)).text("h1#post-title")).toBe("Wochenbericht — „Grüße“ 東京 ✓");
  });

  it("always renders afresh for someone signed in", async () => {
    const { secret } = await instance.services.sessions.signIn("alice", "a long enough password", "test");
    const cookie = `connexo_session_${new URL(instance.origin).port}=${secret}`;
    expect((await read("/@team")).text()).not.toContain("Third title");
    await instance.services.weeknotes.publish("team", person, { title: "Third title", summary: "S.", body: "B." });
    expect((await read("/@team")).text()).not.toContain("Third title");
    expect((await read("/@team", cookie)).text()).toContain("Third title");
  });

  it("does not keep error pages", async () => {
    await instance.services.weeknotes.delete(postId, person);
    const gone = await instance.app.request(`${instance.origin}/posts/nope`, { headers: { accept: "text/html" } });
    expect(gone.status).toBe(404);
    const again = await instance.app.request(`${instance.origin}/posts/nope`, { headers: { accept: "text/html" } });
    expect(again.status).toBe(404);
  });
});
