import { describe, expect, it } from "vitest";
import { mayReplyHere, type Replier, replyOutcome } from "../../src/domain/reply-policy.ts";

const stranger: Replier = {
  blocked: false,
  isMember: false,
  isFollower: false,
  hasTakenPart: false,
  answersHeldReply: false,
};

describe("reply policies", () => {
  it("decides each kind of replier's reply under each policy", () => {
    const cases: [Partial<Replier>, Record<"open" | "newcomers" | "followers" | "closed", string>][] = [
      [{}, { open: "accept", newcomers: "hold", followers: "refuse", closed: "refuse" }],
      [{ hasTakenPart: true }, { open: "accept", newcomers: "accept", followers: "refuse", closed: "refuse" }],
      [{ isFollower: true }, { open: "accept", newcomers: "hold", followers: "accept", closed: "refuse" }],
      [{ isMember: true }, { open: "accept", newcomers: "accept", followers: "accept", closed: "refuse" }],
      [
        { blocked: true, isMember: true },
        { open: "refuse", newcomers: "refuse", followers: "refuse", closed: "refuse" },
      ],
      [
        { answersHeldReply: true, isMember: true },
        { open: "hold", newcomers: "hold", followers: "hold", closed: "refuse" },
      ],
    ];
    for (const [facts, expected] of cases) {
      for (const [policy, outcome] of Object.entries(expected)) {
        expect(replyOutcome(policy as keyof typeof expected, { ...stranger, ...facts }), `${JSON.stringify(facts)} under ${policy}`).toBe(
          outcome,
        );
      }
    }
  });

  it("limits people here only where replies are for members or closed", () => {
    const person = { isPostAuthor: false, isMember: false, moderates: false };
    expect(mayReplyHere("open", person)).toBe(true);
    expect(mayReplyHere("newcomers", person)).toBe(true);
    expect(mayReplyHere("followers", person)).toBe(false);
    expect(mayReplyHere("followers", { ...person, isMember: true })).toBe(true);
    expect(mayReplyHere("closed", { ...person, isMember: true })).toBe(false);
    expect(mayReplyHere("closed", { ...person, isPostAuthor: true })).toBe(true);
    expect(mayReplyHere("closed", { ...person, moderates: true })).toBe(true);
  });
});
