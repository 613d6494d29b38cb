import { createHash, createSign, createVerify, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { RemoteActorInput } from "../../src/domain/types.ts";

/**
 * A stand-in for a Mastodon server, written without Fedify so that it checks
 * Connexo against an independent reading of the protocol: it serves actor
 * documents in Mastodon's shape, records every POST to its inboxes, signs
 * what it sends the way Mastodon does (draft-cavage HTTP signatures,
 * rsa-sha256) and verifies what it receives with node:crypto alone.
 */

export const AS_PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** The JSON-LD context Mastodon puts on its activities. */
export const MASTODON_ACTIVITY_CONTEXT = [
  "https://www.w3.org/ns/activitystreams",
  {
    ostatus: "http://ostatus.org#",
    atomUri: "ostatus:atomUri",
    inReplyToAtomUri: "ostatus:inReplyToAtomUri",
    conversation: "ostatus:conversation",
    sensitive: "as:sensitive",
    toot: "http://joinmastodon.org/ns#",
    votersCount: "toot:votersCount",
  },
];

export interface FakeUser {
  username: string;
  /** The actor id, e.g. http://127.0.0.1:1234/users/alice */
  id: string;
  keyId: string;
  inbox: string;
  outbox: string;
  followers: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  path: string;
  /** Header names in lower case, as node:http gives them. */
  headers: IncomingHttpHeaders;
  body: string;
  /** What the fake server answered. */
  status: number;
}

export class FakeMastodon {
  readonly users = new Map<string, FakeUser>();
  /** Every POST to an inbox, in arrival order. */
  readonly inboxPosts: RecordedRequest[] = [];
  /** Every GET path, in arrival order. */
  readonly gets: string[] = [];
  /** Extra documents served as activity+json, by path. */
  readonly documents = new Map<string, unknown>();
  /** Paths answered by a handler of the test's own (a wrong content type, a redirect, a trickle). */
  readonly routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  /** Starts a fake server on a random loopback port with the given users. */
  static async start(usernames: string[]): Promise<FakeMastodon> {
    let fake: FakeMastodon | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const answer = (status: number, body?: unknown, type = "application/activity+json; charset=utf-8") => {
          res.writeHead(status, body === undefined ? {} : { "content-type": type });
          res.end(body === undefined ? undefined : JSON.stringify(body));
          return status;
        };
        if (!fake) return answer(503);
        const path = req.url ?? "/";
        const route = fake.routes.get(path);
        if (req.method === "GET") fake.gets.push(path);
        if (route) return route(req, res);
        if (req.method === "GET") {
          const user = /^\/users\/([^/?#]+)$/.exec(path)?.[1];
          const found = user ? fake.users.get(user) : undefined;
          if (found) return answer(200, fake.actorDocument(found));
          if (fake.documents.has(path)) return answer(200, fake.documents.get(path));
          return answer(404, { error: "Record not found" }, "application/json");
        }
        if (req.method === "POST" && (path === "/inbox" || /^\/users\/[^/]+\/inbox$/.test(path))) {
          // Fedify's first knock may be signed with RFC 9421 (a Signature-Input
          // header, and a Signature header of the form sig1=:...:). Like a
          // Mastodon that only speaks draft-cavage, we refuse that with 401,
          // and Fedify knocks again with a draft-cavage Signature, which is
          // what the independent verifier below checks. Simpler and more
          // telling than implementing RFC 9421 here too.
          const status = req.headers["signature-input"] !== undefined ? 401 : 202;
          fake.inboxPosts.push({ method: req.method, path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
          return answer(status);
        }
        return answer(404, { error: "Not found" }, "application/json");
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    fake = new FakeMastodon(server, `http://127.0.0.1:${port}`);
    for (const username of usernames) fake.addUser(username);
    return fake;
  }

  addUser(username: string): FakeUser {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const id = `${this.origin}/users/${username}`;
    const user: FakeUser = {
      username,
      id,
      keyId: `${id}#main-key`,
      inbox: `${id}/inbox`,
      outbox: `${id}/outbox`,
      followers: `${id}/followers`,
      privateKey,
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    this.users.set(username, user);
    return user;
  }

  /**
   * An account here as Connexo records a remote actor, for seeding followers
   * without a Follow: an inbox of its own, and the server's shared inbox
   * when asked for. No key or document is made for it.
   */
  accountInput(username: string, { sharedInbox = false } = {}): RemoteActorInput {
    return {
      uri: `${this.origin}/users/${username}`,
      type: "Person",
      handle: `@${username}@${new URL(this.origin).host}`,
      name: username,
      url: null,
      iconUrl: null,
      inbox: `${this.origin}/users/${username}/inbox`,
      sharedInbox: sharedInbox ? `${this.origin}/inbox` : null,
    };
  }

  user(username: string): FakeUser {
    const user = this.users.get(username);
    if (!user) throw new Error(`No fake user ${username}`);
    return user;
  }

  /** An actor document as Mastodon serves it. */
  actorDocument(user: FakeUser) {
    return {
      "@context": [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
          manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
          toot: "http://joinmastodon.org/ns#",
          discoverable: "toot:discoverable",
        },
      ],
      id: user.id,
      type: "Person",
      following: `${user.id}/following`,
      followers: user.followers,
      inbox: user.inbox,
      outbox: user.outbox,
      preferredUsername: user.username,
      name: `${user.username[0]!.toUpperCase()}${user.username.slice(1)} Mastodon`,
      summary: "<p>A fake Mastodon account.</p>",
      url: `${this.origin}/@${user.username}`,
      manuallyApprovesFollowers: false,
      discoverable: true,
      published: "2023-01-01T00:00:00Z",
      publicKey: { id: user.keyId, owner: user.id, publicKeyPem: user.publicKeyPem },
      endpoints: { sharedInbox: `${this.origin}/inbox` },
    };
  }

  /** Inbox POSTs that carry a draft-cavage Signature header (not RFC 9421). */
  signedPosts(): RecordedRequest[] {
    return this.inboxPosts.filter((r) => typeof r.headers.signature === "string" && r.headers["signature-input"] === undefined);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A public Create of a new Note by `actor`, as Mastodon sends it; `fields`
 * add to or replace the Note's (inReplyTo, content, url, tag…).
 */
export function createNote(actor: FakeUser, fields: Record<string, unknown> = {}) {
  const id = `${actor.id}/statuses/${randomUUID()}`;
  return {
    "@context": MASTODON_ACTIVITY_CONTEXT,
    id: `${id}/activity`,
    type: "Create",
    actor: actor.id,
    to: [AS_PUBLIC],
    cc: [actor.followers],
    object: {
      id,
      type: "Note",
      attributedTo: actor.id,
      to: [AS_PUBLIC],
      cc: [actor.followers],
      content: "<p>Hello.</p>",
      published: new Date().toISOString(),
      ...fields,
    },
  };
}

/** A Digest header value for a body. */
export function digestOf(body: string | Buffer): string {
  return `SHA-256=${createHash("sha256").update(body).digest("base64")}`;
}

/**
 * The headers Mastodon sends with a signed POST: a draft-cavage signature over
 * `(request-target) host date digest content-type`, rsa-sha256.
 */
export function signPost(
  url: string,
  body: string,
  keyId: string,
  privateKey: KeyObject,
  options: SignOptions = {},
): Record<string, string> {
  const target = new URL(url);
  const headers: Record<string, string> = {
    host: target.host,
    date: (options.date ?? new Date()).toUTCString(),
    digest: digestOf(body),
    "content-type": "application/activity+json",
  };
  const names = options.headers ?? ["(request-target)", "host", "date", "digest", "content-type"];
  const algorithm = options.algorithm ?? "rsa-sha256";
  const signingString = names
    .map((name) => (name === "(request-target)" ? `${name}: post ${target.pathname}${target.search}` : `${name}: ${headers[name]}`))
    .join("\n");
  const signature = createSign("RSA-SHA256").update(signingString).sign(privateKey, "base64");
  return {
    ...headers,
    signature: `keyId="${keyId}",algorithm="${algorithm}",headers="${names.join(" ")}",signature="${signature}"`,
  };
}

export interface SignOptions {
  date?: Date;
  /** What the signature covers; Mastodon's list by default. */
  headers?: string[];
  /** The label in the Signature header; the key is RSA-SHA256 whatever it says. */
  algorithm?: string;
}

export interface DeliverOptions {
  /** Sign with this key id and key instead of the activity's actor's own. */
  signAs?: FakeUser;
  /** Changes the body after signing (the Digest then no longer matches). */
  tamper?: (body: string) => string;
  /** Signs with this private key, whatever key id is named (a forged or broken signature). */
  privateKey?: KeyObject;
  sign?: SignOptions;
  /** Sends no signature at all. */
  unsigned?: boolean;
}

/** POSTs an activity to an inbox the way Mastodon does, signed as `from`. */
export async function deliver(inbox: string, activity: unknown, from: FakeUser, options: DeliverOptions = {}): Promise<Response> {
  const body = typeof activity === "string" ? activity : JSON.stringify(activity);
  const signer = options.signAs ?? from;
  const signed = signPost(inbox, body, signer.keyId, options.privateKey ?? signer.privateKey, options.sign);
  const { host: _host, ...headers } = signed;
  if (options.unsigned) delete (headers as Record<string, string>).signature;
  const sent = options.tamper ? options.tamper(body) : body;
  return fetch(inbox, {
    method: "POST",
    headers: { ...headers, accept: "application/activity+json", "user-agent": "http.rb/5.1.1 (Mastodon/4.3.0; +http://127.0.0.1/)" },
    body: sent,
  });
}

/** The parts of a draft-cavage Signature header. */
export function parseSignatureHeader(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of value.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}

export type Verification = { ok: true; keyId: string; headers: string[] } | { ok: false; reason: string };

/**
 * Checks a received request's draft-cavage rsa-sha256 signature against a PEM
 * public key, with node:crypto only: the Digest must match the body, the Date
 * must be recent, and the signature must cover (request-target), host, date
 * and digest.
 */
export function verifyDraftCavage(request: RecordedRequest, publicKeyPem: string, maxSkewMs = 5 * 60_000): Verification {
  const header = request.headers.signature;
  if (typeof header !== "string") return { ok: false, reason: "no Signature header" };
  const params = parseSignatureHeader(header);
  if (!params.keyId || !params.signature) return { ok: false, reason: "Signature header lacks keyId or signature" };
  if (params.algorithm && params.algorithm !== "rsa-sha256" && params.algorithm !== "hs2019") {
    return { ok: false, reason: `unexpected algorithm ${params.algorithm}` };
  }
  const names = (params.headers ?? "date").toLowerCase().split(/\s+/).filter(Boolean);
  for (const required of ["(request-target)", "host", "date", "digest"]) {
    if (!names.includes(required)) return { ok: false, reason: `signature does not cover ${required}` };
  }
  if (request.headers.digest !== digestOf(request.body)) return { ok: false, reason: "Digest does not match the body" };
  const date = Date.parse(String(request.headers.date));
  if (!Number.isFinite(date) || Math.abs(Date.now() - date) > maxSkewMs) return { ok: false, reason: "Date missing or not recent" };
  const lines: string[] = [];
  for (const name of names) {
    if (name === "(request-target)") {
      lines.push(`${name}: ${request.method.toLowerCase()} ${request.path}`);
      continue;
    }
    const value = request.headers[name];
    if (value === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    lines.push(`${name}: ${(Array.isArray(value) ? value.join(", ") : value).trim()}`);
  }
  const ok = createVerify("RSA-SHA256").update(lines.join("\n")).verify(publicKeyPem, params.signature, "base64");
  return ok ? { ok: true, keyId: params.keyId, headers: names } : { ok: false, reason: "signature does not verify" };
}

/**
 * Verifies a received request against the key its keyId names: fetches the
 * key's actor document as ActivityPub JSON, takes publicKey.publicKeyPem
 * (checking the key's id and owner), and checks the signature with it.
 */
export async function verifyWithPublishedKey(request: RecordedRequest): Promise<Verification & { owner?: string }> {
  const header = request.headers.signature;
  if (typeof header !== "string") return { ok: false, reason: "no Signature header" };
  const { keyId } = parseSignatureHeader(header);
  if (!keyId) return { ok: false, reason: "no keyId" };
  const response = await fetch(keyId, { headers: { accept: "application/activity+json" } });
  if (!response.ok) return { ok: false, reason: `fetching ${keyId} answered ${response.status}` };
  const document = (await response.json()) as { id?: string; publicKey?: unknown };
  const keys = (Array.isArray(document.publicKey) ? document.publicKey : [document.publicKey]) as {
    id?: string;
    owner?: string;
    publicKeyPem?: string;
  }[];
  const key = keys.find((k) => k?.id === keyId);
  if (!key?.publicKeyPem) return { ok: false, reason: `no publicKey ${keyId} in ${document.id}` };
  if (key.owner !== document.id) return { ok: false, reason: `key owner ${key.owner} is not ${document.id}` };
  return { ...verifyDraftCavage(request, key.publicKeyPem), owner: key.owner };
}
