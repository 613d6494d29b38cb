import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FedCtx } from "../../../federation/context.ts";
import { localActorHandle, localPostId } from "../../../federation/inbox/common.ts";

const ctx = { canonicalOrigin: "https://connexo.example" } as FedCtx;
const id = randomUUID();
const named = (url: string) => localPostId(ctx, new URL(url));

describe("which of our posts and actors an activity names", () => {
  it("reads the id of a weeknote, a note or a decision record at its own address", () => {
    expect(named(`https://connexo.example/posts/${id}`)).toBe(id);
    expect(named(`https://connexo.example/notes/${id}`)).toBe(id);
    expect(named(`https://connexo.example/decisions/${id}`)).toBe(id);
  });

  it("names none for another server, another path, or more after the id", () => {
    expect(named(`https://elsewhere.example/posts/${id}`)).toBeNull();
    expect(named(`https://connexo.example/@team/posts/${id}`)).toBeNull();
    expect(named(`https://connexo.example/posts/${id}/replies`)).toBeNull();
    expect(named(`https://connexo.example/decisions/${id}/outcomes`)).toBeNull();
    expect(named("https://connexo.example/posts/not-a-post")).toBeNull();
    expect(localPostId(ctx, null)).toBeNull();
  });

  it("reads the handle of one of our actors, and names none elsewhere or below it", () => {
    expect(localActorHandle(ctx, new URL("https://connexo.example/@team"))).toBe("team");
    expect(localActorHandle(ctx, new URL("https://elsewhere.example/@team"))).toBeNull();
    expect(localActorHandle(ctx, new URL("https://connexo.example/@team/inbox"))).toBeNull();
    expect(localActorHandle(ctx, new URL(`https://connexo.example/posts/${id}`))).toBeNull();
    expect(localActorHandle(ctx, null)).toBeNull();
  });
});
