import { isIP } from "node:net";
import { z } from "zod";
import { isEmailAddress } from "../domain/email.ts";

/** What a process runs: the web side, the queue worker, or both (default). */
export type ProcessRole = "all" | "web" | "worker";

/** How the connection to the mail server is protected: STARTTLS after connecting, TLS from the start (port 465), or not at all (loopback). */
export type SmtpTls = "starttls" | "tls" | "none";

/** Where email leaves: an SMTP server (a relay or the organisation's mail service). */
export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTls;
  /** Signing in to the server; null sends without (a relay that knows this machine). */
  auth: { user: string; password: string } | null;
  /** Whom messages are from, e.g. `Connexo <no-reply@council.example>`. */
  from: string;
}

export interface Config {
  /** Canonical public origin, e.g. https://digital.example.gov (no trailing slash). */
  origin: string;
  port: number;
  /** The address to listen on: an IP address or a host name; null for every interface. */
  host: string | null;
  /** Where the data lives: a SQLite file path or a postgres:// URL. */
  database: string;
  /** PostgreSQL connections each process may open (SQLite has one). */
  databasePoolSize: number;
  /** Where uploaded images are kept (shared storage when several machines serve the web). */
  mediaDir: string;
  /** How long public pages rendered for signed-out readers are served again (0: not at all). */
  pageCacheSeconds: number;
  logLevel: "debug" | "info" | "warning" | "error";
  /** Honour X-Forwarded-* headers (only behind a proxy the operator trusts). */
  trustProxy: boolean;
  role: ProcessRole;
  /** How many processes `npm start` runs of that role, sharing the port: one per core uses every core. */
  processes: number;
  /**
   * The most each process's JavaScript heap may hold, in MB. `npm start`
   * hands it to Node on its command line (`--max-old-space-size`), before any
   * of this runs (Node refuses what is not a number); it is read here so that
   * a value out of range is refused and named with the other settings, and
   * so that a process whose limit is another can say so (`heap-limit.ts`).
   */
  heapMb: number;
  instanceName: string;
  /** Lets Fedify reach loopback and private addresses. Tests and local demos only. */
  allowPrivateAddress: boolean;
  inboxMaxBytes: number;
  inboxMaxDepth: number;
  /** The largest body of a form or API call (weeknote forms with images have their own, larger limit). */
  formMaxBytes: number;
  /** Elements one JSON array, or keys one object, may hold in an inbox body. */
  inboxMaxItems: number;
  /** Activities one remote server (a host) may post to the inboxes here in a minute; 0: no limit. */
  inboxLimitPerDomain: number;
  /** Activities one remote actor (a signing key) may post to the inboxes here in a minute; 0: no limit. */
  inboxLimitPerActor: number;
  /** What one request to another server may take: connect, headers and body together. */
  fetchTimeoutMs: number;
  /** Bytes read from another server's answer before giving up on it. */
  fetchMaxBytes: number;
  /** Redirects followed when fetching a document from another server. */
  fetchMaxRedirects: number;
  queueConcurrency: number;
  /** How many of a worker's messages may concern one remote origin at once. */
  queuePerOrigin: number;
  /** How long a queue handler may run before it is abandoned and its message retried. */
  queueHandlerTimeoutMs: number;
  /** How long a worker may hold a message before another may take it over. */
  queueLeaseSeconds: number;
  /** On SIGTERM, how long requests and queue handlers in flight may take to finish before the process lets go of them and exits. */
  shutdownTimeoutMs: number;
  /** The bearer token `/metrics` asks for; null leaves `/metrics` off. */
  metricsToken: string | null;
  /** Which other servers the instance deals with: all but the blocked domains, or only the allowed ones. */
  federationMode: "blocklist" | "allowlist";
  /** Where traces go over OTLP/HTTP (the collector's base URL, `/v1/traces` is added); null sends none. */
  otlpEndpoint: string | null;
  /** How email is sent (invitations, password reset links); null: none is, and links are shown to administrators. */
  smtp: SmtpSettings | null;
}

export class ConfigError extends Error {}

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    error: "expected true or false",
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const positiveInt = (max: number) =>
  z.coerce
    .number({ error: "expected a whole number" })
    .int("expected a whole number")
    .min(1, "expected a number of at least 1")
    .max(max, `expected a number of at most ${max}`);

/** A number a minute, or 0 to turn the limit off. */
const perMinute = z.coerce
  .number({ error: "expected a whole number" })
  .int("expected a whole number")
  .min(0, "expected a number of at least 0 (0 turns the limit off)")
  .max(1_000_000, "expected a number of at most 1000000");

const origin = z.string().transform((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: "custom", message: "expected an absolute URL such as https://digital.example.gov" });
    return z.NEVER;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    ctx.addIssue({ code: "custom", message: "expected an http:// or https:// URL" });
    return z.NEVER;
  }
  if (url.pathname !== "/" || url.search || url.hash) {
    ctx.addIssue({ code: "custom", message: "expected an origin only, with no path, query or fragment" });
    return z.NEVER;
  }
  return url.origin;
});

/** An address to listen on: an IPv4 or IPv6 address (without brackets), or a host name such as localhost. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const host = z.string().refine((value) => isIP(value) !== 0 || HOST_NAME.test(value), {
  error: (issue) =>
    /^\[.*\]$/.test(String(issue.input))
      ? "expected an IPv6 address without brackets, such as ::1"
      : "expected an IP address such as 127.0.0.1 or ::, or a host name such as localhost",
});

/** A sender: an address, or a name and an address in angle brackets, on one line. */
const mailFrom = z.string().refine(
  (value) => {
    const match = /^(?:([^<>\r\n]*)<([^<>\s]+)>|([^<>\s]+))$/.exec(value.trim());
    const address = match?.[2] ?? match?.[3];
    return address !== undefined && isEmailAddress(address);
  },
  { error: "expected an address such as no-reply@council.example, or a name and one: Connexo <no-reply@council.example>" },
);

/** Settings that make sense only together. */
function checkMail(
  e: { CONNEXO_SMTP_HOST?: string; CONNEXO_MAIL_FROM?: string; CONNEXO_SMTP_USER?: string; CONNEXO_SMTP_PASSWORD?: string },
  ctx: z.RefinementCtx,
) {
  if (e.CONNEXO_SMTP_HOST && !e.CONNEXO_MAIL_FROM) {
    ctx.addIssue({
      code: "custom",
      path: ["CONNEXO_MAIL_FROM"],
      message: "required when CONNEXO_SMTP_HOST is set: whom messages are from",
    });
  }
  if ((e.CONNEXO_SMTP_USER === undefined) !== (e.CONNEXO_SMTP_PASSWORD === undefined)) {
    const missing = e.CONNEXO_SMTP_USER === undefined ? "CONNEXO_SMTP_USER" : "CONNEXO_SMTP_PASSWORD";
    ctx.addIssue({ code: "custom", path: [missing], message: "expected both CONNEXO_SMTP_USER and CONNEXO_SMTP_PASSWORD, or neither" });
  }
}

/** Environment variables and the settings they fill. */
const schema = z
  .object({
    CONNEXO_PORT: positiveInt(65535).default(3000),
    CONNEXO_ORIGIN: origin.optional(),
    CONNEXO_HOST: host.optional(),
    CONNEXO_DATABASE: z
      .string()
      .min(1, "expected a SQLite file path or a postgres:// URL")
      .refine((v) => !/^postgres(ql)?:/.test(v) || URL.canParse(v), "expected a valid postgres:// URL")
      .default("./data/connexo.sqlite"),
    CONNEXO_DATABASE_POOL_SIZE: positiveInt(1000).default(20),
    CONNEXO_MEDIA_DIR: z.string().min(1).default("./data/media"),
    CONNEXO_PAGE_CACHE_SECONDS: z.coerce
      .number({ error: "expected a number of seconds" })
      .int("expected a whole number")
      .min(0)
      .max(3600)
      .default(3),
    CONNEXO_LOG_LEVEL: z
      .enum(["debug", "info", "warning", "error"], { error: "expected one of debug, info, warning, error" })
      .default("info"),
    CONNEXO_TRUST_PROXY: bool.default(false),
    CONNEXO_PROCESS: z.enum(["all", "web", "worker"], { error: "expected one of all, web, worker" }).default("all"),
    CONNEXO_PROCESSES: positiveInt(64).default(1),
    CONNEXO_HEAP_MB: z.coerce
      .number({ error: "expected a whole number" })
      .int("expected a whole number")
      .min(64, "expected a number of at least 64")
      .max(65536, "expected a number of at most 65536")
      .default(192),
    CONNEXO_INSTANCE_NAME: z.string().min(1).max(100).default("Connexo"),
    CONNEXO_ALLOW_PRIVATE_ADDRESS: bool.default(false),
    CONNEXO_INBOX_MAX_BYTES: positiveInt(64 * 1024 * 1024).default(1024 * 1024),
    CONNEXO_INBOX_MAX_DEPTH: positiveInt(1000).default(64),
    // The largest form (a decision record with every field full, in a script whose letters take 9 bytes once form-encoded) is about 1.6 MB.
    CONNEXO_FORM_MAX_BYTES: positiveInt(64 * 1024 * 1024).default(2 * 1024 * 1024),
    CONNEXO_INBOX_MAX_ITEMS: positiveInt(1_000_000).default(1000),
    // Counted per process: with several web processes, each lets through its share.
    CONNEXO_INBOX_LIMIT_PER_DOMAIN: perMinute.default(600),
    CONNEXO_INBOX_LIMIT_PER_ACTOR: perMinute.default(120),
    CONNEXO_FETCH_TIMEOUT_SECONDS: positiveInt(300).default(5),
    CONNEXO_FETCH_MAX_BYTES: positiveInt(64 * 1024 * 1024).default(1024 * 1024),
    CONNEXO_FETCH_MAX_REDIRECTS: z.coerce
      .number({ error: "expected a whole number" })
      .int("expected a whole number")
      .min(0)
      .max(10)
      .default(3),
    CONNEXO_QUEUE_CONCURRENCY: positiveInt(256).default(32),
    CONNEXO_QUEUE_PER_ORIGIN: positiveInt(256).default(8),
    CONNEXO_QUEUE_HANDLER_TIMEOUT_SECONDS: positiveInt(86400).default(60),
    CONNEXO_QUEUE_LEASE_SECONDS: positiveInt(86400).default(60),
    CONNEXO_SHUTDOWN_TIMEOUT_SECONDS: positiveInt(3600)
      .default(20)
      .describe("On SIGTERM, how long work in flight may take to finish; queue messages still running then are released for another try."),
    CONNEXO_FEDERATION_MODE: z.enum(["blocklist", "allowlist"], { error: "expected one of blocklist, allowlist" }).default("blocklist"),
    // A secret for the scraper: long enough that it cannot be guessed.
    CONNEXO_METRICS_TOKEN: z
      .string()
      .min(16, "expected a token of at least 16 characters")
      .max(1024)
      .refine((v) => /^[\x21-\x7e]+$/.test(v), "expected printable characters without spaces")
      .optional(),
    // The standard OpenTelemetry variable, so collectors' usual setup works.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }).optional(),
    // No host: no email.
    CONNEXO_SMTP_HOST: host.optional(),
    // Unset: 587 (submission with STARTTLS), or 465 with implicit TLS.
    CONNEXO_SMTP_PORT: positiveInt(65535).optional(),
    CONNEXO_SMTP_TLS: z.enum(["starttls", "tls", "none"], { error: "expected one of starttls, tls, none" }).default("starttls"),
    CONNEXO_SMTP_USER: z.string().max(1024).optional(),
    CONNEXO_SMTP_PASSWORD: z.string().max(1024).optional(),
    CONNEXO_MAIL_FROM: mailFrom.optional(),
  })
  .superRefine(checkMail);

/**
 * Reads the configuration from environment variables. Throws a ConfigError
 * naming every wrong variable and what it expects.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = result.data;
  return {
    origin: e.CONNEXO_ORIGIN ?? `http://localhost:${e.CONNEXO_PORT}`,
    port: e.CONNEXO_PORT,
    host: e.CONNEXO_HOST ?? null,
    database: e.CONNEXO_DATABASE,
    databasePoolSize: e.CONNEXO_DATABASE_POOL_SIZE,
    mediaDir: e.CONNEXO_MEDIA_DIR,
    pageCacheSeconds: e.CONNEXO_PAGE_CACHE_SECONDS,
    logLevel: e.CONNEXO_LOG_LEVEL,
    trustProxy: e.CONNEXO_TRUST_PROXY,
    role: e.CONNEXO_PROCESS,
    processes: e.CONNEXO_PROCESSES,
    heapMb: e.CONNEXO_HEAP_MB,
    instanceName: e.CONNEXO_INSTANCE_NAME,
    allowPrivateAddress: e.CONNEXO_ALLOW_PRIVATE_ADDRESS,
    inboxMaxBytes: e.CONNEXO_INBOX_MAX_BYTES,
    inboxMaxDepth: e.CONNEXO_INBOX_MAX_DEPTH,
    formMaxBytes: e.CONNEXO_FORM_MAX_BYTES,
    inboxMaxItems: e.CONNEXO_INBOX_MAX_ITEMS,
    inboxLimitPerDomain: e.CONNEXO_INBOX_LIMIT_PER_DOMAIN,
    inboxLimitPerActor: e.CONNEXO_INBOX_LIMIT_PER_ACTOR,
    fetchTimeoutMs: e.CONNEXO_FETCH_TIMEOUT_SECONDS * 1000,
    fetchMaxBytes: e.CONNEXO_FETCH_MAX_BYTES,
    fetchMaxRedirects: e.CONNEXO_FETCH_MAX_REDIRECTS,
    queueConcurrency: e.CONNEXO_QUEUE_CONCURRENCY,
    queuePerOrigin: e.CONNEXO_QUEUE_PER_ORIGIN,
    queueHandlerTimeoutMs: e.CONNEXO_QUEUE_HANDLER_TIMEOUT_SECONDS * 1000,
    queueLeaseSeconds: e.CONNEXO_QUEUE_LEASE_SECONDS,
    shutdownTimeoutMs: e.CONNEXO_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    metricsToken: e.CONNEXO_METRICS_TOKEN ?? null,
    federationMode: e.CONNEXO_FEDERATION_MODE,
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    smtp: e.CONNEXO_SMTP_HOST
      ? {
          host: e.CONNEXO_SMTP_HOST,
          port: e.CONNEXO_SMTP_PORT ?? (e.CONNEXO_SMTP_TLS === "tls" ? 465 : 587),
          tls: e.CONNEXO_SMTP_TLS,
          auth:
            e.CONNEXO_SMTP_USER !== undefined && e.CONNEXO_SMTP_PASSWORD !== undefined
              ? { user: e.CONNEXO_SMTP_USER, password: e.CONNEXO_SMTP_PASSWORD }
              : null,
          from: e.CONNEXO_MAIL_FROM!.trim(),
        }
      : null,
  };
}

/** Loads `.env` from the working directory, if there is one, without overriding the real environment. */
export function loadDotEnv(path = ".env"): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
