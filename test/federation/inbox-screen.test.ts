import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNote, deliver, FakeMastodon, type FakeUser } from "../helpers/fake-mastodon.ts";
import { seedCommunity, startInstance, type RunningInstance } from "../helpers/instance.ts";

/**
 * What an inbox checks before it does anything expensive with a body: its
 * shape (sizes of arrays and objects), and that it is signed, by a known
 * algorithm, over the parts of the request that matter.
 */
describe("an inbox screens requests before parsing them", () => {
  let connexo: RunningInstance;
  let mastodon: FakeMastodon;
  let mira: FakeUser;
  let teamInbox: string;

  const note = (extra: Record<string, unknown> = {}) => createNote(mira, extra);

  beforeAll(async () => {
    [connexo, mastodon] = await Promise.all([startInstance({ CONNEXO_INBOX_MAX_ITEMS: "1000" }), FakeMastodon.start(["mira"])]);
    mira = mastodon.user("mira");
    await seedCommunity(connexo, { person: "alice", community: "team" });
    teamInbox = `${connexo.origin}/@team/inbox`;
  });
  afterAll(async () => {
    await Promise.all([connexo?.stop(), mastodon?.close()]);
  });

  it("refuses arrays and objects past the item limit, signed or not, with 400", async () => {
    const tags = Array.from({ length: 200_000 }, () => ({}));
    const unsigned = await deliver(teamInbox, note({ tag: tags }), mira, { unsigned: true });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toMatch(/more than 1000 items/);
    const signed = await deliver(teamInbox, note({ tag: tags }), mira);
    expect(signed.status).toBe(400);
    const manyKeys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    expect((await deliver(teamInbox, note({ extra: manyKeys }), mira)).status).toBe(400);
    // Within the limit is fine.
    expect((await deliver(teamInbox, note({ tag: tags.slice(0, 50) }), mira)).status).toBe(202);
  });

  it("refuses an unsigned request with 401 before reading its JSON-LD, so no remote context is fetched", async () => {
    const activity = { ...note(), "@context": ["https://www.w3.org/ns/activitystreams", `${mastodon.origin}/contexts/trap.jsonld`] };
    const response = await deliver(teamInbox, activity, mira, { unsigned: true });
    expect(response.status).toBe(401);
    // A Linked Data signature alone does not let it through either.
    const ldSigned = {
      ...activity,
      signature: { type: "RsaSignature2017", creator: mira.keyId, created: new Date().toISOString(), signatureValue: "AAAA" },
    };
    expect((await deliver(teamInbox, ldSigned, mira, { unsigned: true })).status).toBe(401);
    expect(mastodon.gets.filter((path) => path.startsWith("/contexts/"))).toEqual([]);
  });

  it("refuses a signature that does not cover host, date, digest and the request target", async () => {
    for (const missing of ["host", "date", "digest", "(request-target)"]) {
      const headers = ["(request-target)", "host", "date", "digest", "content-type"].filter((h) => h !== missing);
      const response = await deliver(teamInbox, note(), mira, { sign: { headers } });
      expect(response.status, `without ${missing}`).toBe(401);
    }
  });

  it("refuses a signature with an algorithm label it does not know", async () => {
    expect((await deliver(teamInbox, note(), mira, { sign: { algorithm: "hmac-sha1" } })).status).toBe(401);
    // The labels Mastodon and others send are fine.
    expect((await deliver(teamInbox, note(), mira, { sign: { algorithm: "hs2019" } })).status).toBe(202);
    expect((await deliver(teamInbox, note(), mira)).status).toBe(202);
  });
});
