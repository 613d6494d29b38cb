/**
 * How long a server that trickles its answer (headers at once, then a byte a
 * second for ever) holds each kind of request this instance makes, and what
 * a server that sends too much costs.
 *
 *   npm run bench:trickle
 *   CONNEXO_FETCH_TIMEOUT_SECONDS=10 npm run bench:trickle
 */
import { createServer } from "node:http";
import { fmt, mb, printTable, startInstance } from "./lib.ts";

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

async function main() {
  let open = 0;
  const server = createServer((req, res) => {
    open++;
    res.on("close", () => open--);
    req.resume();
    if (req.url?.startsWith("/flood")) {
      // 64 MB as fast as loopback takes it.
      res.writeHead(200, { "content-type": "application/activity+json" });
      const chunk = Buffer.alloc(64 * 1024, 32);
      let sent = 0;
      const pump = () => {
        while (sent < 1024 && res.write(chunk)) sent++;
        if (sent < 1024) res.once("drain", pump);
        else res.end();
      };
      return pump();
    }
    res.writeHead(200, { "content-type": "application/activity+json" });
    res.write("{");
    const timer = setInterval(() => res.write(" "), 1000);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const instance = await startInstance();
  try {
    const ctx = instance.federation.federation.createContext(new URL(instance.origin), instance.federation.contextData);
    const signedLoader = await ctx.getDocumentLoader({ identifier: "instance" });
    let n = 0;
    const kinds: [string, () => Promise<unknown>][] = [
      ["object or key fetch (cached loader)", () => ctx.documentLoader(`${origin}/objects/${n++}`)],
      ["signed object fetch", () => signedLoader(`${origin}/objects/${n++}`)],
      [
        "delivery POST (Node's fetch, as Fedify sends)",
        () => fetch(`${origin}/inbox/${n++}`, { method: "POST", body: "{}" }).then((r) => r.arrayBuffer()),
      ],
      ["64 MB answer to an object fetch", () => ctx.documentLoader(`${origin}/flood?${n++}`)],
    ];
    const rows: string[][] = [];
    for (const [label, run] of kinds) {
      const times: number[] = [];
      let rssPeak = process.memoryUsage().rss;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
      const rssStart = process.memoryUsage().rss;
      let outcome = "";
      for (let i = 0; i < REPEAT; i++) {
        const started = performance.now();
        outcome = await run().then(
          () => "answered (!)",
          (error: Error) => `cut off: ${(error.cause as Error | undefined)?.message ?? error.message}`.slice(0, 70),
        );
        times.push(performance.now() - started);
      }
      clearInterval(sampler);
      rows.push([label, times.map((t) => fmt(t)).join(", "), `${mb(rssStart)}→${mb(rssPeak)}`, outcome]);
    }
    printTable(
      `A trickling server (deadline ${instance.config.fetchTimeoutMs} ms, size limit ${mb(instance.config.fetchMaxBytes)}); connections still open afterwards: ${open}`,
      ["request", "ms until cut off, each run", "RSS start→peak", "outcome"],
      rows,
    );
  } finally {
    await instance.stop();
    server.closeAllConnections();
    server.close();
  }
}

await main();
