import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReferredInput } from "../../src/domain/outcomes.ts";
import { page } from "../helpers/html.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

describe("input referred to a community (/@team/referred)", () => {
  let instance: RunningInstance;
  let teamId: number;

  const get = async (path: string) => {
    const res = await instance.app.request(`${instance.origin}${path}`);
    return { status: res.status, shown: page(await res.text()) };
  };

  const referred = (n: number, rest: Partial<Omit<ReferredInput, "id">> = {}) =>
    instance.store.outcomes.addReferred({
      communityId: teamId,
      objectUri: `https://elsewhere.example/notes/${n}`,
      objectUrl: `https://elsewhere.example/@zoe/${n}`,
      authorUri: "https://elsewhere.example/users/zoe",
      authorName: "Zoë Remote",
      contentHtml: `<p>Reply number ${n}, with a very long address https://elsewhere.example/${"a".repeat(80)}</p>`,
      note: `Why number ${n}.`,
      referredByUri: "https://council.example/groups/bins",
      referredByName: "The bins",
      recordUri: `https://council.example/decisions/${n}`,
      receivedAt: new Date(Date.UTC(2026, 10, 2, 9, n)),
      ...rest,
    });

  beforeAll(async () => {
    instance = await startInstance({}, { serve: false, worker: false });
    ({
      community: { id: teamId },
    } = await seedCommunity(instance, { person: "alice", community: "team" }));
    await seedCommunity(instance, { person: "bob", community: "quiet" });
  });
  afterAll(() => instance?.stop());

  it("lists what was referred, newest first, with who wrote it, who referred it, from which record, and why", async () => {
    await referred(1);
    await referred(3, { authorUri: null, authorName: null, recordUri: null, note: "" });
    await referred(2, { authorName: "Yann", authorUri: "https://other.example/users/yann" });

    const { status, shown } = await get("/@team/referred");
    expect(status).toBe(200);
    expect(shown.text("h1")).toBe("Input referred to The team");
    expect(shown.text("p.lede")).toBe(
      "Replies to consultations that another community, here or on another instance, passed on to this one, with why.",
    );
    expect(shown.texts(".input-list h2")).toEqual(["From Someone", "From Yann", "From Zoë Remote"]);

    const newest = shown.within(".input-list > li:nth-child(1)");
    expect(newest.count("h2 a")).toBe(0);
    expect(newest.text(".meta")).not.toContain("the consultation");
    expect(newest.count(".referral-note")).toBe(0);

    const oldest = shown.within(".input-list > li:nth-child(3)");
    expect(oldest.attr("h2 a", "href")).toBe("https://elsewhere.example/users/zoe");
    expect(oldest.text(".prose")).toContain("Reply number 1");
    expect(oldest.text(".meta")).toMatch(/^Referred by The bins from the consultation · /);
    expect(oldest.attr('.meta a[href="https://council.example/groups/bins"]', "href")).not.toBeNull();
    expect(oldest.text('.meta a[href="https://council.example/decisions/1"]')).toBe("the consultation");
    expect(oldest.text('.meta a[href="https://elsewhere.example/@zoe/1"]')).toBe("The reply where it was written");
    expect(oldest.text(".referral-note")).toBe("Why: Why number 1.");
  });

  it("is linked from the community's page", async () => {
    const { shown } = await get("/@team");
    expect(shown.text('a[href="/@team/referred"]')).toBe("Input referred to The team");
  });

  it("says when nothing was referred", async () => {
    const { status, shown } = await get("/@quiet/referred");
    expect(status).toBe(200);
    expect(shown.text("main")).toContain("Nothing has been referred to The quiet yet.");
    expect(shown.count(".input-list")).toBe(0);
  });

  it("is not found for a person or no one", async () => {
    expect((await get("/@alice/referred")).status).toBe(404);
    expect((await get("/@nobody/referred")).status).toBe(404);
    const { shown } = await get("/@alice");
    expect(shown.count('a[href="/@alice/referred"]')).toBe(0);
  });
});
