import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { createServices, type Services } from "../../src/services/index.ts";
import { createStore, openDatabase, type Database } from "../../src/storage/database.ts";
import type { Store } from "../../src/storage/repositories.ts";
import { createTestDatabase, queryRows } from "../helpers/database.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * The admin command line, run as a real process (`npx tsx src/cli/main.ts`)
 * on a SQLite file of its own. Exit codes: 0 done, 1 refused, 2 wrong usage.
 */
describe("connexo CLI", () => {
  let dir: string;
  let database: string;

  const run = (...args: string[]) => runCli({ CONNEXO_DATABASE: database }, ...args);

  /** Opens the database the CLI wrote, to look at what is there. */
  const inspect = async <T>(look: (services: Services, db: Database, store: Store) => Promise<T> | T): Promise<T> => {
    const db = await openDatabase(database);
    try {
      const store = createStore(db);
      return await look(createServices(store), db, store);
    } finally {
      await db.close();
    }
  };
  const countRows = (table: string) =>
    inspect(async (_s, db) => (await queryRows<{ n: number }>(db, `SELECT count(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "connexo-cli-"));
    database = await createTestDatabase(dir);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints usage and exits 2 on wrong arguments, touching nothing", async () => {
    const [none, unknown, badOption, missing, positional] = await Promise.all([
      run(),
      run("make-coffee"),
      run("list-people", "--verbose"),
      run("create-community", "--handle", "team", "--name", "The Team"),
      run("create-person", "alice"),
    ]);
    for (const result of [none, unknown, badOption, missing, positional]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Usage:");
      expect(result.stdout).toBe("");
    }
    expect(none.stderr).toContain("No command given.");
    expect(none.stderr).toContain("Commands:");
    expect(unknown.stderr).toContain('Unknown command "make-coffee".');
    expect(missing.stderr).toContain("Missing --purpose.");
    expect(missing.stderr).toContain("create-community --handle team --name 'The Team' --purpose");
    // Usage is checked before the database is opened: not even the file was made.
    expect(existsSync(database)).toBe(false);
  });

  it("creates people, a community, a membership, a weeknote and a token", async () => {
    // The first run on a fresh file alone: it creates the schema and the instance actor.
    const alice = await run(
      "create-person",
      "--handle",
      "alice",
      "--name",
      "Alice Example",
      "--password",
      "a long enough password",
      "--job-title",
      "Service designer",
    );
    const [bob, team] = await Promise.all([
      run("create-person", "--handle", "@Bob", "--name", "Bob Example", "--password", "another long password"),
      run("create-community", "--handle", "team", "--name", "The Team", "--purpose", "Working in the open."),
    ]);
    expect(alice).toMatchObject({ code: 0, stdout: "Created person @alice\n" });
    expect(bob).toMatchObject({ code: 0, stdout: "Created person @bob\n" });
    expect(team).toMatchObject({ code: 0, stdout: "Created community @team\n" });

    const member = await run("add-member", "--community", "team", "--person", "alice", "--role", "admin");
    expect(member).toMatchObject({ code: 0, stdout: "@alice is now admin of @team\n" });

    const file = join(dir, "note.md");
    writeFileSync(file, "We **opened** the consultation.\n");
    const [published, people, communities, token] = await Promise.all([
      run(
        "publish-weeknote",
        "--community",
        "team",
        "--author",
        "alice",
        "--title",
        "Week 48",
        "--summary",
        "We opened it.",
        "--file",
        file,
        "--tags",
        "consultation, #openwork",
        "--week",
        "2026-W48",
      ),
      run("list-people"),
      run("list-communities"),
      run("token", "--person", "alice", "--label", "weeknote script"),
    ]);
    expect(published.code).toBe(0);
    const postId = /^Published weeknote ([0-9a-f-]{36})\n$/.exec(published.stdout)?.[1];
    expect(postId).toBeDefined();
    expect(people).toMatchObject({ code: 0, stdout: "@alice\tAlice Example\tService designer\n@bob\tBob Example\n" });
    expect(communities).toMatchObject({ code: 0, stdout: "@team\tThe Team\n" });
    expect(token.code).toBe(0);
    const secret = /(cnx_\S+)\n$/.exec(token.stdout)?.[1];
    expect(secret).toBeDefined();

    await inspect(async (services, db, store) => {
      const post = (await store.posts.findById(postId!))!;
      expect(post).toMatchObject({
        state: "published",
        title: "Week 48",
        summary: "We opened it.",
        isoWeek: "2026-W48",
        tags: ["consultation", "openwork"],
      });
      expect(post.contentHtml).toContain("<strong>opened</strong>");
      const alice = (await services.actors.find("alice"))!;
      const team = (await services.actors.find("team"))!;
      expect(post.authorId).toBe(alice.id);
      expect(await services.actors.roleIn(team, alice)).toBe("admin");
      expect((await services.tokens.authenticate(secret!))?.handle).toBe("alice");
      // Publishing left a post.published event for the worker.
      const events = await queryRows<{ payload: string }>(db, "SELECT payload FROM queue_messages WHERE queue = 'events'");
      expect(events.map((e) => JSON.parse(e.payload))).toEqual([{ type: "post.published", postId }]);
    });
  });

  it("refuses bad requests with exit 1 and leaves nothing half-made", async () => {
    const before = {
      actors: await countRows("actors"),
      posts: await countRows("posts"),
      queue: await countRows("queue_messages"),
      memberships: await countRows("memberships"),
    };
    const file = join(dir, "note2.md");
    writeFileSync(file, "Body.\n");
    const weeknote = ["--author", "alice", "--title", "Week 49", "--file", file];
    const results = await Promise.all([
      run("create-person", "--handle", "alice", "--name", "Alice Again", "--password", "a long enough password"),
      run("create-person", "--handle", "carol", "--name", "Carol", "--password", "short"),
      run("create-community", "--handle", "api", "--name", "Reserved", "--purpose", "P."),
      run("add-member", "--community", "team", "--person", "bob", "--role", "boss"),
      run("publish-weeknote", "--community", "nowhere", "--summary", "S.", ...weeknote),
      run("publish-weeknote", "--community", "team", "--summary", "   ", ...weeknote),
      run("publish-weeknote", "--community", "team", "--summary", "S.", "--author", "bob", "--title", "T", "--file", file),
      run("publish-weeknote", "--community", "team", "--summary", "S.", ...weeknote.slice(0, 4), "--file", join(dir, "missing.md")),
      run("token", "--person", "nobody"),
    ]);
    const [duplicate, shortPassword, reserved, badRole, unknownCommunity, blankSummary, notMember, noFile, noPerson] = results;
    for (const result of results) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^Error: /m);
      expect(result.stderr).not.toContain("Usage:");
      expect(result.stdout).toBe("");
    }
    expect(duplicate!.stderr).toContain('The handle "alice" is already taken.');
    expect(shortPassword!.stderr).toContain("Password must be at least 12 characters.");
    expect(reserved!.stderr).toContain('The handle "api" is reserved.');
    expect(badRole!.stderr).toContain("Role must be one of admin, facilitator, member, observer.");
    expect(unknownCommunity!.stderr).toContain("There is no community @nowhere here.");
    expect(blankSummary!.stderr).toContain("summary required");
    expect(notMember!.stderr).toContain("@bob may not publish in @team.");
    expect(noFile!.stderr).toContain("Cannot read the file");
    expect(noPerson!.stderr).toContain("There is no person @nobody here.");

    const after = {
      actors: await countRows("actors"),
      posts: await countRows("posts"),
      queue: await countRows("queue_messages"),
      memberships: await countRows("memberships"),
    };
    expect(after).toEqual(before);
    await inspect(async (services) => {
      expect(await services.actors.find("carol")).toBeNull();
      expect((await services.actors.find("alice"))?.displayName).toBe("Alice Example");
    });
  });

  it("clears an account's failed sign-ins, so that its owner signs in at once", async () => {
    // Guesses at alice's account, each from an address of its own, as fast as they are let through.
    let clock = Date.now();
    const signIn = async (password: string, address: string) => {
      const db = await openDatabase(database);
      try {
        await createServices(createStore(db), { now: () => clock }).sessions.signIn("alice", password, address);
        return "signed in";
      } catch (error) {
        return (error as { code?: string }).code;
      } finally {
        await db.close();
      }
    };
    for (let i = 1; i <= 10; i++) {
      clock += 60_000;
      expect(await signIn("a wrong guess", `198.51.100.${i}`)).toBe("unauthorized");
    }
    expect(await signIn("a long enough password", "192.0.2.1")).toBe("too_many");

    const cleared = await run("clear-sign-in-failures", "--person", "alice");
    expect(cleared).toMatchObject({ code: 0, stdout: "Cleared the failed sign-ins on @alice's account: they can sign in at once.\n" });
    expect(await signIn("a long enough password", "192.0.2.1")).toBe("signed in");

    const nobody = await run("clear-sign-in-failures", "--person", "nobody");
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("There is no person @nobody here.");
  });

  it("blocks and unblocks domains, and exports and imports them as Mastodon's CSV", async () => {
    const blocked = await run("block-domain", "https://Spam.Example/about", "--reason", "Floods us, with spam");
    expect(blocked.code).toBe(0);
    expect(blocked.stdout).toContain("Blocked spam.example and its subdomains");
    const exported = await run("domain-blocks", "export");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(
      '#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,suspend,true,true,"Floods us, with spam",false\n',
    );

    const file = join(dir, "blocks.csv");
    writeFileSync(file, `${exported.stdout}rude.example,suspend,,,Rude,\nquiet.example,silence,,,,\n`);
    const imported = await run("domain-blocks", "import", file);
    expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining("1 blocked, 1 given a new reason, 1 skipped") });

    writeFileSync(file, "#domain,#severity,#public_comment\nfine.example,suspend,Fine\nnot a domain,suspend,Bad\n");
    const refused = await run("domain-blocks", "import", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("line 3");

    const unblocked = await run("unblock-domain", "spam.example");
    expect(unblocked).toMatchObject({ code: 0, stdout: "spam.example is no longer blocked.\n" });
    const left = await inspect((services) => services.federationPolicy.blockedDomains());
    expect(left.map((b) => [b.domain, b.reason])).toEqual([["rude.example", "Rude"]]);
    const log = await inspect((_s, _db, store) => store.moderationLog.list({}, 10, 0));
    expect(log.map((e) => [e.action, e.subject, e.actorId, e.details.by])).toContainEqual([
      "domain.unblocked",
      "spam.example",
      null,
      "command line",
    ]);

    const own = await run("block-domain", "localhost");
    expect(own.code).toBe(1);
    expect(own.stderr).toContain("own domain");
  });

  it("blocks and unblocks a single account, with a reason, logged as done from the command line", async () => {
    const troll = "https://elsewhere.example/users/troll";
    const refused = await run("block", "--actor", troll);
    expect(refused.code).not.toBe(0);
    const blocked = await run("block", "--actor", troll, "--reason", "Harassment");
    expect(blocked).toMatchObject({ code: 0, stdout: expect.stringContaining(`Blocked ${troll}`) });
    expect(await inspect((_s, _db, store) => store.accountBlocks.list())).toMatchObject([{ uri: troll, reason: "Harassment" }]);
    const unblocked = await run("unblock", "--actor", troll);
    expect(unblocked).toMatchObject({ code: 0, stdout: `${troll} is no longer blocked.\n` });
    const log = await inspect((_s, _db, store) => store.moderationLog.list({ subjects: [troll] }, 10, 0));
    expect(log.map((e) => [e.action, e.reason, e.details.by])).toEqual([
      ["account.unblocked", "", "command line"],
      ["account.blocked", "Harassment", "command line"],
    ]);
  });

  it("prints a one-time password reset link for a person", async () => {
    const made = await run("password-reset-link", "--person", "alice");
    expect(made.code).toBe(0);
    const link = made.stdout.trim().split("\n").at(-1)!;
    expect(link).toMatch(/^http:\/\/[^/]+\/password-reset\/[A-Za-z0-9_-]+$/);
    const person = await inspect((services) => services.passwords.openReset(link.split("/").at(-1)!));
    expect(person?.handle).toBe("alice");
    const unknown = await run("password-reset-link", "--person", "nobody");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no active person");
  });

  it("exits 1 with a clear message, and no password, when the database cannot be reached", async () => {
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn("npx", ["tsx", "src/cli/main.ts", "list-people"], {
        cwd: root,
        env: { ...process.env, CONNEXO_DATABASE: "postgres://connexo:hunter2@127.0.0.1:1/connexo" },
      });
      let stderr = "";
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (code) => resolve({ code, stderr }));
    });
    expect(child.code).toBe(1);
    expect(child.stderr).toContain("Could not open the database at postgres://connexo:***@127.0.0.1:1/connexo");
    expect(child.stderr).not.toContain("hunter2");
  });

  it("exits 2 naming a wrong configuration variable", async () => {
    const child = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn("npx", ["tsx", "src/cli/main.ts", "list-people"], {
        cwd: root,
        env: { ...process.env, CONNEXO_DATABASE: "postgres://[::1" },
      });
      let stderr = "";
      p.stderr.on("data", (d) => (stderr += d));
      p.on("close", (code) => resolve({ code, stderr }));
    });
    expect(child.code).toBe(2);
    expect(child.stderr).toContain("CONNEXO_DATABASE");
  });
});
