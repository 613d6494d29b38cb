import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";
import { selfSignedCertificate, trustCertificate } from "../helpers/tls.ts";

/**
 * Following by handle: acct: handles are looked up over https only, so
 * instance A serves https://localhost with a throwaway certificate that this
 * process trusts, and B follows @team@localhost:port by handle.
 */
describe("following by @handle@host", () => {
  let a: RunningInstance;
  let b: RunningInstance;
  let untrust: () => void;

  beforeAll(async () => {
    const tls = { ...selfSignedCertificate("localhost"), host: "localhost" };
    untrust = trustCertificate(tls.cert);
    [a, b] = await Promise.all([startInstance({}, { tls }), startInstance()]);
    await seedCommunity(a, { person: "alice", community: "team" });
    await seedCommunity(b, { person: "bob", community: "unit" });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    untrust?.();
  });

  it("resolves the handle with WebFinger and follows the actor", async () => {
    const handle = `@team@${new URL(a.origin).host}`;
    const following = await b.services.follows.requestFollow("bob", handle);
    expect(following.target).toBe(handle);
    const accepted = await eventually(
      async () => {
        const f = await b.store.follows.findFollowing(following.id);
        return f?.state === "accepted" ? f : null;
      },
      20_000,
      "the Accept",
    );
    expect(accepted.remoteActor?.uri).toBe(`${a.origin}/@team`);
    expect(accepted.remoteActor?.handle).toBe(handle);
    const team = (await a.services.actors.find("team"))!;
    expect(await a.store.follows.countFollowers(team.id)).toBe(1);
  });
});
