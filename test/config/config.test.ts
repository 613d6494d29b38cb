import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.ts";

/** Expects loadConfig(env) to throw a ConfigError whose message names the variable and what it expects. */
function expectConfigError(env: Record<string, string>, variable: string, expected: RegExp) {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  const line = message.split("\n").find((l) => l.includes(variable));
  expect(line, `a line naming ${variable} in:\n${message}`).toBeDefined();
  expect(line).toMatch(expected);
}

describe("loadConfig", () => {
  it("fills in defaults from an empty environment", () => {
    const config = loadConfig({});
    expect(config.origin).toBe("http://localhost:3000");
    expect(config.port).toBe(3000);
    expect(config.database).toBe("./data/connexo.sqlite");
    expect(config.role).toBe("all");
    expect(config.trustProxy).toBe(false);
    expect(config.allowPrivateAddress).toBe(false);
    expect(config.logLevel).toBe("info");
    expect(config.heapMb).toBe(192);
  });

  it("derives the default origin from the port, and reads the rest", () => {
    expect(loadConfig({ CONNEXO_PORT: "8080" }).origin).toBe("http://localhost:8080");
    const config = loadConfig({
      CONNEXO_ORIGIN: "https://digital.example.gov/",
      CONNEXO_TRUST_PROXY: "yes",
      CONNEXO_PROCESS: "worker",
      CONNEXO_DATABASE: "/tmp/x.sqlite",
    });
    expect(config.origin).toBe("https://digital.example.gov");
    expect(config.trustProxy).toBe(true);
    expect(config.role).toBe("worker");
    expect(config.database).toBe("/tmp/x.sqlite");
  });

  it("takes a PostgreSQL URL and a pool size", () => {
    const config = loadConfig({ CONNEXO_DATABASE: "postgres://connexo:pw@db.internal:5432/connexo", CONNEXO_DATABASE_POOL_SIZE: "50" });
    expect(config.database).toBe("postgres://connexo:pw@db.internal:5432/connexo");
    expect(config.databasePoolSize).toBe(50);
    expect(loadConfig({}).databasePoolSize).toBe(20);
  });

  it("federates with every domain but the blocked ones unless CONNEXO_FEDERATION_MODE is allowlist", () => {
    expect(loadConfig({}).federationMode).toBe("blocklist");
    expect(loadConfig({ CONNEXO_FEDERATION_MODE: "allowlist" }).federationMode).toBe("allowlist");
    expectConfigError({ CONNEXO_FEDERATION_MODE: "closed" }, "CONNEXO_FEDERATION_MODE", /blocklist, allowlist/);
  });

  it("listens on every interface unless CONNEXO_HOST names an address or a host name", () => {
    expect(loadConfig({}).host).toBeNull();
    expect(loadConfig({ CONNEXO_HOST: "127.0.0.1" }).host).toBe("127.0.0.1");
    expect(loadConfig({ CONNEXO_HOST: "::1" }).host).toBe("::1");
    expect(loadConfig({ CONNEXO_HOST: "localhost" }).host).toBe("localhost");
  });

  it("limits form bodies to 2 MiB unless CONNEXO_FORM_MAX_BYTES says otherwise", () => {
    expect(loadConfig({}).formMaxBytes).toBe(2 * 1024 * 1024);
    expect(loadConfig({ CONNEXO_FORM_MAX_BYTES: "65536" }).formMaxBytes).toBe(65536);
  });

  it("limits what one server and one actor post to the inboxes a minute, unless told otherwise; 0 turns a limit off", () => {
    const defaults = loadConfig({});
    expect(defaults.inboxLimitPerDomain).toBe(600);
    expect(defaults.inboxLimitPerActor).toBe(120);
    const set = loadConfig({ CONNEXO_INBOX_LIMIT_PER_DOMAIN: "5", CONNEXO_INBOX_LIMIT_PER_ACTOR: "0" });
    expect(set.inboxLimitPerDomain).toBe(5);
    expect(set.inboxLimitPerActor).toBe(0);
  });

  it("caps the heap at the default npm start hands to Node", () => {
    const start = (
      JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { scripts: { start: string } }
    ).scripts.start;
    expect(start).toContain(`--max-old-space-size=\${CONNEXO_HEAP_MB:-${loadConfig({}).heapMb}}`);
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ CONNEXO_PORT: "", CONNEXO_ORIGIN: "" }).origin).toBe("http://localhost:3000");
  });

  it.each([
    [{ CONNEXO_PORT: "abc" }, "CONNEXO_PORT", /whole number/],
    [{ CONNEXO_PORT: "0" }, "CONNEXO_PORT", /at least 1/],
    [{ CONNEXO_PORT: "70000" }, "CONNEXO_PORT", /at most 65535/],
    [{ CONNEXO_ORIGIN: "not-a-url" }, "CONNEXO_ORIGIN", /absolute URL/],
    [{ CONNEXO_ORIGIN: "ftp://example.gov" }, "CONNEXO_ORIGIN", /http:\/\/ or https:\/\//],
    [{ CONNEXO_ORIGIN: "https://example.gov/connexo" }, "CONNEXO_ORIGIN", /origin only, with no path/],
    [{ CONNEXO_LOG_LEVEL: "loud" }, "CONNEXO_LOG_LEVEL", /one of debug, info, warning, error/],
    [{ CONNEXO_PROCESS: "both" }, "CONNEXO_PROCESS", /one of all, web, worker/],
    [{ CONNEXO_HEAP_MB: "32" }, "CONNEXO_HEAP_MB", /at least 64/],
    [{ CONNEXO_DATABASE: "postgres://[::1" }, "CONNEXO_DATABASE", /valid postgres:\/\/ URL/],
    [{ CONNEXO_DATABASE_POOL_SIZE: "0" }, "CONNEXO_DATABASE_POOL_SIZE", /at least 1/],
    [{ CONNEXO_TRUST_PROXY: "maybe" }, "CONNEXO_TRUST_PROXY", /true or false/],
    [{ CONNEXO_HOST: "http://127.0.0.1" }, "CONNEXO_HOST", /IP address such as 127\.0\.0\.1 or ::, or a host name/],
    [{ CONNEXO_HOST: "[::1]" }, "CONNEXO_HOST", /without brackets/],
    [{ CONNEXO_FORM_MAX_BYTES: "1mb" }, "CONNEXO_FORM_MAX_BYTES", /whole number/],
    [{ CONNEXO_INBOX_LIMIT_PER_DOMAIN: "-1" }, "CONNEXO_INBOX_LIMIT_PER_DOMAIN", /at least 0/],
    [{ CONNEXO_INBOX_LIMIT_PER_DOMAIN: "many" }, "CONNEXO_INBOX_LIMIT_PER_DOMAIN", /whole number/],
    [{ CONNEXO_INBOX_LIMIT_PER_ACTOR: "1.5" }, "CONNEXO_INBOX_LIMIT_PER_ACTOR", /whole number/],
    [{ CONNEXO_INBOX_LIMIT_PER_ACTOR: "2000000" }, "CONNEXO_INBOX_LIMIT_PER_ACTOR", /at most 1000000/],
  ])("rejects %o", (env, variable, expected) => {
    expectConfigError(env, variable, expected);
  });

  it("sends no email unless CONNEXO_SMTP_HOST is set, and reads the mail server's settings", () => {
    expect(loadConfig({}).smtp).toBeNull();
    const from = "Connexo <no-reply@council.example>";
    expect(loadConfig({ CONNEXO_SMTP_HOST: "smtp.council.example", CONNEXO_MAIL_FROM: from }).smtp).toEqual({
      host: "smtp.council.example",
      port: 587,
      tls: "starttls",
      auth: null,
      from,
    });
    expect(loadConfig({ CONNEXO_SMTP_HOST: "smtp.council.example", CONNEXO_SMTP_TLS: "tls", CONNEXO_MAIL_FROM: from }).smtp?.port).toBe(
      465,
    );
    const full = loadConfig({
      CONNEXO_SMTP_HOST: "127.0.0.1",
      CONNEXO_SMTP_PORT: "2525",
      CONNEXO_SMTP_TLS: "none",
      CONNEXO_SMTP_USER: "connexo",
      CONNEXO_SMTP_PASSWORD: "a secret",
      CONNEXO_MAIL_FROM: "no-reply@council.example",
    }).smtp;
    expect(full).toEqual({
      host: "127.0.0.1",
      port: 2525,
      tls: "none",
      auth: { user: "connexo", password: "a secret" },
      from: "no-reply@council.example",
    });
  });

  it.each([
    [{ CONNEXO_SMTP_HOST: "smtp.council.example" }, "CONNEXO_MAIL_FROM", /required when CONNEXO_SMTP_HOST is set/],
    [{ CONNEXO_SMTP_HOST: "smtp://smtp.council.example" }, "CONNEXO_SMTP_HOST", /host name/],
    [{ CONNEXO_SMTP_PORT: "0" }, "CONNEXO_SMTP_PORT", /at least 1/],
    [{ CONNEXO_SMTP_TLS: "ssl" }, "CONNEXO_SMTP_TLS", /one of starttls, tls, none/],
    [{ CONNEXO_MAIL_FROM: "Connexo" }, "CONNEXO_MAIL_FROM", /no-reply@council\.example/],
    [{ CONNEXO_MAIL_FROM: "Connexo <no-reply>" }, "CONNEXO_MAIL_FROM", /no-reply@council\.example/],
    [{ CONNEXO_MAIL_FROM: "a@b.example, c@d.example" }, "CONNEXO_MAIL_FROM", /no-reply@council\.example/],
    [
      { CONNEXO_SMTP_HOST: "smtp.council.example", CONNEXO_MAIL_FROM: "no-reply@council.example", CONNEXO_SMTP_USER: "connexo" },
      "CONNEXO_SMTP_PASSWORD",
      /both CONNEXO_SMTP_USER and CONNEXO_SMTP_PASSWORD, or neither/,
    ],
  ])("rejects the mail settings %o", (env, variable, expected) => {
    expectConfigError(env, variable, expected);
  });

  it("names every wrong variable at once", () => {
    expect(() => loadConfig({ CONNEXO_PORT: "abc", CONNEXO_PROCESS: "both" })).toThrow(/CONNEXO_PORT[\s\S]*CONNEXO_PROCESS/);
  });
});
