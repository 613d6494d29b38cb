/**
 * `npm run demo`: two Connexo instances on loopback, as two public bodies,
 * with people, communities, weeknotes, a follow between them and a reply
 * that crossed over, so a newcomer can click around a working federation.
 *
 * Data lives in a temporary folder and is gone when the demo stops (Ctrl-C).
 * DEMO_PORTS=4001,4002 picks other ports.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { loadConfig } from "../src/config/config.ts";
import { createInstance, type Instance } from "../src/instance.ts";
import { setUpLogging } from "../src/logging.ts";
import type { Actor } from "../src/domain/types.ts";
import { SETTING } from "../src/storage/repositories.ts";

const PASSWORD = "demo password 1234";
const [portA, portB] = (process.env.DEMO_PORTS ?? "3001,3002").split(",").map(Number) as [number, number];

interface Running {
  instance: Instance;
  origin: string;
  stop(): Promise<void>;
}

async function start(name: string, port: number, dir: string): Promise<Running> {
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    CONNEXO_PORT: String(port),
    CONNEXO_ORIGIN: origin,
    CONNEXO_DATABASE: join(dir, `${port}.sqlite`),
    CONNEXO_MEDIA_DIR: join(dir, `${port}-media`),
    CONNEXO_INSTANCE_NAME: name,
    // Both instances live on loopback, which federation refuses to reach unless allowed: demos only.
    CONNEXO_ALLOW_PRIVATE_ADDRESS: "true",
    CONNEXO_LOG_LEVEL: "warning",
  });
  const instance = await createInstance(config);
  await instance.store.settings.set(SETTING.instanceName, name);
  const stopWorker = new AbortController();
  const worker = instance.federation.runWorker(stopWorker.signal);
  const server = serve({ fetch: instance.app.fetch, port, hostname: "127.0.0.1" });
  return {
    instance,
    origin,
    async stop() {
      stopWorker.abort();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker;
      await instance.close();
    },
  };
}

async function person(instance: Instance, handle: string, displayName: string, jobTitle: string, admin = false) {
  const created = await instance.services.actors.createPerson({ handle, displayName, jobTitle, password: PASSWORD });
  if (admin) await instance.services.actors.makeAdmin(handle);
  return created;
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`The demo gave up waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function seed(a: Running, b: Running) {
  const { services: sa } = a.instance;
  const { services: sb } = b.instance;

  // Northshire: a digital team and a housing community.
  const amara = await person(a.instance, "amara", "Amara Okafor", "Head of digital", true);
  await person(a.instance, "ben", "Ben Hughes", "Service designer");
  await sa.actors.createCommunity({
    handle: "digital",
    name: "Digital team",
    purpose: "We design and run Northshire's online services, in the open.",
  });
  await sa.actors.createCommunity({
    handle: "housing",
    name: "Housing repairs",
    purpose: "Making it easier to report and track a repair.",
  });
  await sa.actors.addMember("digital", "amara", "admin");
  await sa.actors.addMember("digital", "ben", "member");
  await sa.actors.addMember("housing", "ben", "facilitator");
  await sa.weeknotes.publish("housing", (await sa.actors.find("ben"))!, {
    title: "Repairs: what tenants told us",
    summary: "Twelve interviews, three themes, one prototype to test next week.",
    body: "We spoke to **twelve tenants** this week.\n\n- Nobody knew who was coming, or when\n- Photos help the repair team more than descriptions\n- Text messages beat emails\n\nNext: a prototype of a repair tracker.",
    tags: "research, housing",
  });

  // Riverside: a data team.
  const chen = await person(b.instance, "chen", "Chen Wei", "Data lead", true);
  await sb.actors.createCommunity({
    handle: "data",
    name: "Data team",
    purpose: "Open data and the platforms that publish it for Riverside.",
  });
  await sb.actors.addMember("data", "chen", "admin");
  await sb.weeknotes.publish("data", chen, {
    title: "Open data: the bins dataset is live",
    summary: "Collection days for every street, updated nightly, under the Open Government Licence.",
    body: "The **bin collection dataset** is live.\n\nIt took three goes to get the addresses right. Thank you to the waste team.",
    tags: "opendata, bins",
  });

  // Riverside's data team follows Northshire's digital team, across the two servers. (By actor URL:
  // looking up @digital@host would need WebFinger over https, which a loopback demo does not have.)
  await sb.follows.requestFollow("data", `${a.origin}/@digital`);
  // Accepted on both sides: Riverside keeps the team's boosts only once it has the Accept.
  const team = (await sa.actors.find("digital"))!;
  const data = (await sb.actors.find("data"))!;
  await until(
    "the follow to be accepted",
    async () =>
      (await a.instance.store.follows.countFollowers(team.id)) > 0 && (await b.instance.store.follows.countFollowing(data.id)) > 0,
  );

  // Northshire publishes; the weeknote reaches Riverside, and Chen replies from there.
  const weeknote = await sa.weeknotes.publish("digital", amara, {
    title: "Week 48: the consultation opens",
    summary: "We opened the consultation on bin collections and met two neighbouring councils.",
    body: "We **opened the consultation** on Tuesday.\n\n## What went well\n\n- 400 responses in two days\n- The accessible version was ready on day one\n\n## Next week\n\nWe will share what people told us.",
    tags: "consultation, bins, openwork",
  });
  const url = `${a.origin}/posts/${weeknote.id}`;
  await until("the weeknote to reach Riverside", async () =>
    (await sb.interactions.timeline((await sb.actors.find("data"))!)).some((p) => p.uri === url),
  );
  const chensReply = await sb.interactions.reply(
    chen,
    url,
    "Great to see. Our **bins dataset** might help you: collection days for every street, updated nightly.",
  );
  // New communities hold replies from people new to them: Amara approves Chen's, and Riverside hears so.
  const replyUri = `${b.origin}/notes/${chensReply.id}`;
  await until(
    "the reply to reach Northshire, held",
    async () => (await a.instance.store.interactions.findReplyByUri(replyUri))?.state === "held",
  );
  await sa.replies.approve(amara, replyUri);

  const decisions = await seedDecisions(a, b, amara, chen);
  return { weeknoteUrl: url, ...decisions };
}

/**
 * Two decision records: one decided with Chen's reply from Riverside cited
 * ("you said, we did"), and one open for comment, for the visitor to answer.
 */
async function seedDecisions(a: Running, b: Running, amara: Actor, chen: Actor) {
  const { services: sa } = a.instance;
  const { services: sb } = b.instance;
  const inTwoWeeks = new Date(Date.now() + 14 * 86_400_000);
  const bins = await sa.decisions.propose("digital", amara, {
    title: "Show bin collection days from the shared open dataset",
    question: "Should our bin collection page read collection days from the regional open dataset instead of our own spreadsheet?",
    context:
      "Our spreadsheet is updated by hand each month and is often out of date. Riverside publishes a dataset for every street, updated nightly.",
    options: [
      { title: "Keep the spreadsheet", description: "No change; errors continue." },
      { title: "Use the shared dataset", description: "Read collection days from the nightly open dataset." },
    ],
    tags: "bins, opendata",
  });
  await sa.decisions.open(bins.post.id, amara, { closesAt: inTwoWeeks });
  const binsUrl = `${a.origin}/decisions/${bins.post.id}`;
  await sb.interactions.reply(
    chen,
    binsUrl,
    "Happy to help: the dataset has a stable address per street, so your page can link straight to it.",
  );
  const [reply] = await until("Chen's reply to reach Northshire", async () => {
    const replies = await sa.decisions.citableReplies(bins.post.id);
    return replies.length > 0 ? replies : null;
  });
  await sa.decisions.close(bins.post.id, amara, {
    reason: "Both councils' teams had answered; we agreed to decide at this week's show and tell.",
  });
  await sa.decisions.decide(bins.post.id, amara, {
    decision: "We will read collection days from the shared open dataset from January.",
    rationale: "It is updated nightly and covers every street; keeping our own copy duplicated work and went out of date.",
    consequences: "The monthly spreadsheet update stops. We will link each street's page to the dataset.",
    deciders: ["amara", "ben"],
    informedBy: [{ uri: reply!.uri, note: "Chen's point about stable addresses per street let us link each page to the dataset." }],
  });

  const repairs = await sa.decisions.propose("digital", amara, {
    title: "Let tenants track a repair by text message",
    question: "Should tenants be able to follow a repair's progress by text message as well as online?",
    context: "Tenants told us they did not know who was coming, or when. Most prefer texts to emails.",
    options: [
      { title: "Online only", description: "A repair tracker page." },
      { title: "Online and texts", description: "The tracker, plus a text at each step." },
    ],
    tags: "housing, repairs",
  });
  await sa.decisions.open(repairs.post.id, amara, { closesAt: inTwoWeeks });
  return { decidedUrl: binsUrl, openUrl: `${a.origin}/decisions/${repairs.post.id}` };
}

await setUpLogging("warning");
const dir = mkdtempSync(join(tmpdir(), "connexo-demo-"));
const a = await start("Northshire Council", portA, dir);
const b = await start("Riverside Borough Council", portB, dir);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the demo and removing its data.");
  await Promise.allSettled([a.stop(), b.stop()]);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

try {
  const { weeknoteUrl, decidedUrl, openUrl } = await seed(a, b);
  console.log(`
Two Connexo instances are running on this machine, federating with each other.

  Northshire Council          ${a.origin}
  Riverside Borough Council   ${b.origin}

Try:
  - the weeknote that crossed over, with Chen's reply from Riverside (held, as
    replies from newcomers are, until Amara approved it):
      ${weeknoteUrl}
  - a decision that Chen's reply from Riverside informed ("you said, we did"):
      ${decidedUrl}
  - a decision open for comment, and the register of them all:
      ${openUrl}
      ${a.origin}/decisions
  - Riverside's data team, which follows Northshire's digital team: ${b.origin}/@data
  - sign in at either (${a.origin}/sign-in), password "${PASSWORD}":
      Northshire: amara (administrator), ben    Riverside: chen (administrator)
    then write a weeknote in a community, or reply to one; as amara, see
    ${a.origin}/moderation for replies held for approval.

Press Ctrl-C to stop; the demo's data goes with it.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop();
}
