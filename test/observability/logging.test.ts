// The logs operators read: Fedify's warnings reach them, except the one it
// gives for every answer to a follow sent without an object proof (on purpose).
import { getLogger, reset } from "@logtape/logtape";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setUpLogging } from "../../src/logging.ts";

describe("logging", () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await reset();
  });

  it("passes Fedify's warnings on, but not the one for an answer sent without a proof", async () => {
    const lines: string[] = [];
    for (const method of ["warn", "error", "info", "debug", "log"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    await setUpLogging("info");
    const outbox = getLogger(["fedify", "federation", "outbox"]);
    outbox.warn("No supported key found to create a proof for the activity {activityId}.  The activity will be sent without a proof.", {
      activityId: "https://connexo.example/activities/accept-1",
    });
    outbox.warn("Failed to send activity {activityId} to {inbox}.", {
      activityId: "https://connexo.example/activities/create-1",
      inbox: "https://elsewhere.example/inbox",
    });
    expect(lines.join("\n")).not.toContain("create a proof");
    expect(lines.join("\n")).toContain("https://elsewhere.example/inbox");
  });
});
