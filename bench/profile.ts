/**
 * Where the time goes: reads a V8 CPU profile of an instance and shares its
 * processor time out by kind of work, per activity (or request, or delivery).
 *
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" npm run bench:inbox
 *   npm run bench:profile -- /tmp/p/CPU.*.cpuprofile                    the busy seconds, to choose a window
 *   npm run bench:profile -- /tmp/p/CPU.*.cpuprofile 5000 29 56.5      5,000 activities between 29 s and 56.5 s
 *
 * Arguments: the profile; how many activities the window holds (1 by
 * default); the window's start and end, in seconds from the profile's start
 * (all of it by default). With only the profile, it prints how busy each
 * second was, which shows where the measured run lies.
 *
 * Each sample goes to the first kind of work, from the running function
 * outwards, whose pattern a frame of its stack matches: time in SQLite is
 * SQL even when Drizzle called it, time in a JSON-LD expansion is JSON-LD
 * even when Fedify asked for it. Stacks break at each `await`, so work is
 * told apart by what it is, not by which request it was for.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The kinds of work, first match wins; a frame is "function url:line", with paths from node_modules/ or the project. */
const KINDS: [string, RegExp][] = [
  ["garbage collection", /^\(garbage collector\)/],
  ["idle (waiting for I/O)", /^\(idle\)/],
  ["building dist/ at start", /scripts\/build\.mjs/],
  ["JSON-LD processing (expand, compact, canonize)", /node_modules\/jsonld\//],
  [
    "signatures, digests and keys (crypto, PEM, ASN.1)",
    /node:internal\/crypto|asn1js|pkijs|byte-encodings|vocab-runtime.*(importPem|importSpki|exportSpki)/,
  ],
  ["SQL run by SQLite", /better-sqlite3\/lib|drizzle-orm\/better-sqlite3\/session\.js:(68|84|102)|storage\/sqlite\/(queue|kv)-table/],
  ["SQL built and mapped by Drizzle", /drizzle-orm/],
  ["Fedify's vocabulary (objects from and to JSON-LD)", /@fedify\/vocab\//],
  ["fetch API (undici: fetch, and the Request, Response and Headers of every request)", /undici/],
  ["rendering HTML (Hono's JSX)", /node_modules\/hono\/dist\/(jsx|helper\/html|utils\/html)/],
  [
    "HTTP server and sockets (node:http, node:net, Hono)",
    /node:_http|node_modules\/hono|node-server|node:net|stream_base|webstreams|node:internal\/streams/,
  ],
  ["Fedify (routing, inbox and outbox flow)", /@fedify\/fedify|uri-template/],
  ["logging and tracing", /logtape|opentelemetry/],
  ["Connexo's queue", /federation\/queue|storage\/queue-table/],
  ["Connexo (services, storage, federation, pages)", /\/(src|federation)\//],
];
const OTHER = "other (V8, microtasks, Node internals)";

const frameName = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${url.replace(/.*\/node_modules\//, "node_modules/")}:${lineNumber}`;
};

function main() {
  const [file, activitiesArg, fromArg, toArg] = process.argv.slice(2);
  if (!file) throw new Error("usage: npm run bench:profile -- <file.cpuprofile> [activities] [from s] [to s]");
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  // Each node's kind, found once: the first match from the node outwards.
  const kindOf = new Map<number, string>();
  const kind = (id: number): string => {
    const known = kindOf.get(id);
    if (known) return known;
    const name = frameName(byId.get(id)!);
    const up = parent.get(id);
    const found = KINDS.find(([, pattern]) => pattern.test(name))?.[0] ?? (up === undefined ? OTHER : kind(up));
    kindOf.set(id, found);
    return found;
  };

  if (activitiesArg === undefined) {
    printBusySeconds(profile, byId);
    return;
  }
  const activities = Number(activitiesArg);
  const from = Number(fromArg ?? 0) * 1e6;
  const to = toArg === undefined ? Infinity : Number(toArg) * 1e6;
  const totals = new Map<string, number>();
  let at = 0;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < from || at >= to) return;
    const k = kind(id);
    totals.set(k, (totals.get(k) ?? 0) + delta);
    total += delta;
  });
  const ms = (us: number) => (us / 1000 / activities).toFixed(3).padStart(7);
  console.log(`${(total / 1e6).toFixed(1)} s of profile over ${activities} activities: ${ms(total).trim()} ms each`);
  console.log("| ms each | share | work |\n|---:|---:|---|");
  for (const [k, us] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`| ${ms(us)} | ${((100 * us) / total).toFixed(1)}% | ${k} |`);
}

/** How busy (not idle) each second of the profile was, in per cent. */
function printBusySeconds(profile: Profile, byId: Map<number, ProfileNode>) {
  const seconds: { busy: number; all: number }[] = [];
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const index = Math.floor(at / 1e6);
    const second = seconds[index] ?? { busy: 0, all: 0 };
    seconds[index] = second;
    second.all += delta;
    if (byId.get(id)!.callFrame.functionName !== "(idle)") second.busy += delta;
  });
  console.log("second: busy %");
  console.log(seconds.map((s, i) => `${i}: ${s ? Math.round((100 * s.busy) / Math.max(1, s.all)) : 0}`).join("  "));
}

main();
