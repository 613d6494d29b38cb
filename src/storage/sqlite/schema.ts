import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  DECISION_STATUSES,
  type DecisionAction,
  type InformedBy,
  type DecisionOption,
  type RemoteDecision,
} from "../../domain/decisions.ts";
import type { ModerationAction } from "../../domain/moderation.ts";
import { NOTIFICATION_KINDS, type NotificationDetails, type NotificationKind } from "../../domain/notifications.ts";
import { OUTCOME_KINDS } from "../../domain/outcomes.ts";
import type { ProfileLink } from "../../domain/types.ts";
import { REPLY_POLICIES } from "../../domain/reply-policy.ts";
import { REPORT_CATEGORIES, REPORT_STATES, REPORT_SUBJECT_KINDS, type ReportAction } from "../../domain/reports.ts";

// Times are stored as milliseconds since the epoch.
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** Local actors: people, communities and the instance actor share one handle namespace. */
export const actors = sqliteTable("actors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  handle: text("handle").notNull().unique(),
  kind: text("kind", { enum: ["person", "community", "instance"] }).notNull(),
  displayName: text("display_name").notNull(),
  summary: text("summary").notNull().default(""),
  jobTitle: text("job_title"),
  avatarUrl: text("avatar_url"),
  /** What the avatar or icon shows, for those who cannot see it. */
  avatarAlt: text("avatar_alt").notNull().default(""),
  /** A community's longer description (Markdown), beside its purpose (summary). */
  description: text("description").notNull().default(""),
  /** Links on the profile (a person's pages, a community's documents), shown as profile fields. */
  profileLinks: text("profile_links", { mode: "json" }).$type<ProfileLink[]>().notNull().default([]),
  /** People: where password reset links and notifications are sent. */
  email: text("email").unique(),
  passwordHash: text("password_hash"),
  /** Instance administrators set the instance up, invite people and deactivate them. */
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  manuallyApprovesFollowers: integer("manually_approves_followers", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull().default(now),
  deactivatedAt: integer("deactivated_at"),
  /** Communities: who may reply to their posts (see domain/reply-policy.ts). */
  replyPolicy: text("reply_policy", { enum: REPLY_POLICIES }).notNull().default("open"),
});

/** Key pairs of local actors, generated once (RSA for HTTP signatures, Ed25519 for proofs). */
export const actorKeys = sqliteTable(
  "actor_keys",
  {
    actorId: integer("actor_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    algorithm: text("algorithm", { enum: ["RSASSA-PKCS1-v1_5", "Ed25519"] }).notNull(),
    privateJwk: text("private_jwk").notNull(),
    publicJwk: text("public_jwk").notNull(),
  },
  (t) => [primaryKey({ columns: [t.actorId, t.algorithm] })],
);

export const memberships = sqliteTable(
  "memberships",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    personId: integer("person_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["admin", "facilitator", "member", "observer"] }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.personId] })],
);

/** Actors on other servers that we have met: followers, reply authors, those we follow. */
export const remoteActors = sqliteTable("remote_actors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  uri: text("uri").notNull().unique(),
  type: text("type").notNull(),
  handle: text("handle"),
  name: text("name"),
  url: text("url"),
  iconUrl: text("icon_url"),
  inbox: text("inbox").notNull(),
  sharedInbox: text("shared_inbox"),
  organisation: text("organisation"),
  updatedAt: integer("updated_at").notNull().default(now),
});

/** Remote actors following a local actor. */
export const followers = sqliteTable(
  "followers",
  {
    actorId: integer("actor_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    remoteActorId: integer("remote_actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    followUri: text("follow_uri").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    primaryKey({ columns: [t.actorId, t.remoteActorId] }),
    index("followers_by_remote").on(t.remoteActorId),
    // A fan-out reads an actor's followers a page at a time, newest first.
    index("followers_by_actor_time").on(t.actorId, t.createdAt, t.remoteActorId),
  ],
);

/** Remote actors a local actor follows (or asked to follow). */
export const followings = sqliteTable(
  "followings",
  {
    id: text("id").primaryKey(),
    actorId: integer("actor_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    target: text("target").notNull(),
    remoteActorId: integer("remote_actor_id").references(() => remoteActors.id, { onDelete: "cascade" }),
    state: text("state", { enum: ["resolving", "pending", "accepted", "rejected", "failed"] }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("followings_actor_target").on(t.actorId, t.target)],
);

const MEMBERSHIP_STATES = ["resolving", "invited", "requested", "active", "failed"] as const;
const ROLES = ["admin", "facilitator", "member", "observer"] as const;

/** People on other servers in a local community: invited, asking to join, or members. */
export const remoteMembers = sqliteTable(
  "remote_members",
  {
    id: text("id").primaryKey(),
    communityId: integer("community_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    /** The handle or actor URI as typed or received. */
    target: text("target").notNull(),
    remoteActorId: integer("remote_actor_id").references(() => remoteActors.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    state: text("state", { enum: MEMBERSHIP_STATES }).notNull(),
    channel: text("channel", { enum: ["invite", "message"] }),
    activityUri: text("activity_uri"),
    invitedBy: integer("invited_by").references(() => actors.id, { onDelete: "set null" }),
    expiresAt: integer("expires_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("remote_members_target").on(t.communityId, t.target),
    index("remote_members_by_actor").on(t.remoteActorId),
    index("remote_members_by_activity").on(t.activityUri),
  ],
);

/** Local people's memberships of communities on other servers, as those servers tell them. */
export const membershipsElsewhere = sqliteTable(
  "memberships_elsewhere",
  {
    id: text("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    /** The community's handle or URI as typed or received. */
    target: text("target").notNull(),
    remoteActorId: integer("remote_actor_id").references(() => remoteActors.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }),
    state: text("state", { enum: MEMBERSHIP_STATES }).notNull(),
    activityUri: text("activity_uri"),
    membershipUri: text("membership_uri"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("memberships_elsewhere_target").on(t.personId, t.target),
    index("memberships_elsewhere_by_actor").on(t.remoteActorId),
  ],
);

/** Posts by members on other servers, published in a local community and announced by it. */
export const communityPosts = sqliteTable(
  "community_posts",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    postUri: text("post_uri").notNull(),
    remoteActorId: integer("remote_actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    receivedAt: integer("received_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.postUri] }), index("community_posts_by_time").on(t.communityId, t.receivedAt)],
);

/** Accounts blocked by the instance: nothing they send is taken, nothing is sent to them, and what they sent before is hidden. */
export const blockedActors = sqliteTable("blocked_actors", {
  uri: text("uri").primaryKey(),
  /** Why; published with the account's server, not its name (accounts are people). */
  reason: text("reason").notNull().default(""),
  createdAt: integer("created_at").notNull().default(now),
  createdBy: integer("created_by").references(() => actors.id, { onDelete: "set null" }),
});

/** Domains blocked by the instance, with the reason shown on the public list. */
export const blockedDomains = sqliteTable("blocked_domains", {
  domain: text("domain").primaryKey(),
  reason: text("reason").notNull().default(""),
  createdAt: integer("created_at").notNull().default(now),
  createdBy: integer("created_by").references(() => actors.id, { onDelete: "set null" }),
});

/** Accounts a community's moderators blocked from it: their replies are refused, and those it holds are not shown. */
export const communityBlocks = sqliteTable(
  "community_blocks",
  {
    communityId: integer("community_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    /** The blocked account's actor URI (it need not be known here yet). */
    actorUri: text("actor_uri").notNull(),
    reason: text("reason").notNull().default(""),
    createdAt: integer("created_at").notNull().default(now),
    createdBy: integer("created_by").references(() => actors.id, { onDelete: "set null" }),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.actorUri] })],
);

/** Domains an instance in allow-list mode deals with (with their subdomains); in the default mode the list is kept but not used. */
export const allowedDomains = sqliteTable("allowed_domains", {
  domain: text("domain").primaryKey(),
  note: text("note").notNull().default(""),
  createdAt: integer("created_at").notNull().default(now),
  createdBy: integer("created_by").references(() => actors.id, { onDelete: "set null" }),
});

/** What local actors publish: weeknotes and decision records (Articles), and notes (replies they write). */
export const posts = sqliteTable(
  "posts",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: ["weeknote", "decision", "note"] }).notNull(),
    authorId: integer("author_id")
      .notNull()
      .references(() => actors.id),
    communityId: integer("community_id").references(() => actors.id),
    /** A community on another server that the post is published in (its author is a member there). */
    remoteCommunityId: integer("remote_community_id").references(() => remoteActors.id, { onDelete: "set null" }),
    title: text("title"),
    isoWeek: text("iso_week"),
    summary: text("summary"),
    bodyMarkdown: text("body_markdown").notNull(),
    contentHtml: text("content_html").notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    inReplyTo: text("in_reply_to"),
    state: text("state", { enum: ["draft", "published", "deleted"] }).notNull(),
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull().default(now),
    publishedAt: integer("published_at"),
    updatedAt: integer("updated_at"),
    deletedAt: integer("deleted_at"),
    /** A note answering a post elsewhere: the authorization its author gave (GoToSocial's replyAuthorization). */
    replyAuthorization: text("reply_authorization"),
    /** A note answering a post elsewhere: when that post's author refused it. */
    replyRefusedAt: integer("reply_refused_at"),
    /** A note (a reply written here) that a moderator hid: left out of threads for everyone but those who moderate it. */
    hiddenAt: integer("hidden_at"),
  },
  (t) => [
    // Lists of published posts of a kind, newest first (keyset by time and id): each reads its page from an index and stops.
    index("posts_by_community").on(t.communityId, t.state, t.kind, t.publishedAt, t.id),
    index("posts_by_author").on(t.authorId, t.state, t.kind, t.publishedAt, t.id),
    // The same, of every kind (an actor's outbox).
    index("posts_by_community_any_kind").on(t.communityId, t.state, t.publishedAt, t.id),
    index("posts_by_author_any_kind").on(t.authorId, t.state, t.publishedAt, t.id),
    index("posts_by_time").on(t.state, t.kind, t.publishedAt, t.id),
    // Whether a post (a decision record's, for the register's counts) is published, without reading the post.
    index("posts_by_id_state").on(t.id, t.state, t.kind),
    index("posts_by_reply_target").on(t.inReplyTo),
  ],
);

/** The structured part of a decision record; its title, community, tags and author are in its post. */
export const decisions = sqliteTable(
  "decisions",
  {
    postId: text("post_id")
      .primaryKey()
      .references(() => posts.id, { onDelete: "cascade" }),
    status: text("status", { enum: DECISION_STATUSES }).notNull(),
    question: text("question").notNull(),
    context: text("context").notNull(),
    options: text("options", { mode: "json" }).$type<DecisionOption[]>().notNull().default([]),
    decision: text("decision").notNull().default(""),
    rationale: text("rationale").notNull().default(""),
    consequences: text("consequences").notNull().default(""),
    deciders: text("deciders", { mode: "json" }).$type<string[]>().notNull().default([]),
    informedBy: text("informed_by", { mode: "json" }).$type<InformedBy[]>().notNull().default([]),
    consultationClosesAt: integer("consultation_closes_at"),
    decidedAt: integer("decided_at"),
    supersededBy: text("superseded_by").references(() => posts.id, { onDelete: "set null" }),
    statusChangedAt: integer("status_changed_at").notNull(),
  },
  (t) => [
    // With posts_by_id_state, the register's counts by status read indexes only.
    index("decisions_by_status").on(t.status, t.postId),
    index("decisions_by_superseded_by").on(t.supersededBy),
    // The register lists records by their last move, newest first.
    index("decisions_by_change").on(t.statusChangedAt, t.postId),
  ],
);

/** Every move and change of a decision record, shown as its timeline. */
export const decisionHistory = sqliteTable(
  "decision_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    decisionId: text("decision_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    actorId: integer("actor_id").references(() => actors.id, { onDelete: "set null" }),
    action: text("action").$type<DecisionAction>().notNull(),
    fromStatus: text("from_status", { enum: DECISION_STATUSES }),
    toStatus: text("to_status", { enum: DECISION_STATUSES }).notNull(),
    reason: text("reason").notNull().default(""),
    changes: text("changes", { mode: "json" }).$type<string[]>().notNull().default([]),
  },
  (t) => [index("decision_history_by_decision").on(t.decisionId, t.id), index("decision_history_by_time").on(t.at)],
);

/** Replies from anywhere to a local post, threaded by inReplyTo. */
export const replies = sqliteTable(
  "replies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uri: text("uri").notNull().unique(),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    inReplyTo: text("in_reply_to").notNull(),
    remoteActorId: integer("remote_actor_id").references(() => remoteActors.id, { onDelete: "set null" }),
    url: text("url"),
    contentHtml: text("content_html").notNull(),
    state: text("state", { enum: ["visible", "held", "hidden", "refused"] })
      .notNull()
      .default("visible"),
    publishedAt: integer("published_at").notNull(),
    updatedAt: integer("updated_at"),
    /** The ReplyRequest it came in, when its author asked first. */
    requestUri: text("request_uri"),
    /** Set when a moderator approved it (or its request was granted): the ReplyAuthorization served for it. */
    authorizationId: text("authorization_id").unique(),
    /** Whether it came from another Connexo instance (its object named Connexo as its generator), for the impact figures. */
    fromConnexo: integer("from_connexo", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("replies_by_post").on(t.postId, t.publishedAt)],
);

/** What moderators did (hiding and restoring replies), with why: rows are only ever added. */
export const moderationLog = sqliteTable(
  "moderation_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: integer("actor_id").references(() => actors.id, { onDelete: "set null" }),
    communityId: integer("community_id").references(() => actors.id, { onDelete: "set null" }),
    action: text("action").$type<ModerationAction>().notNull(),
    subject: text("subject").notNull(),
    reason: text("reason").notNull().default(""),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index("moderation_log_by_time").on(t.at, t.id),
    index("moderation_log_by_subject").on(t.subject, t.id),
    index("moderation_log_by_community").on(t.communityId, t.id),
  ],
);

/** Likes and boosts of local posts, from anywhere. */
export const reactions = sqliteTable(
  "reactions",
  {
    activityUri: text("activity_uri").primaryKey(),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    remoteActorId: integer("remote_actor_id")
      .notNull()
      .references(() => remoteActors.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["like", "announce"] }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("reactions_once").on(t.postId, t.remoteActorId, t.kind)],
);

/** Posts from remote actors that local actors follow: the network view. */
export const remotePosts = sqliteTable(
  "remote_posts",
  {
    uri: text("uri").primaryKey(),
    remoteActorId: integer("remote_actor_id").references(() => remoteActors.id, { onDelete: "cascade" }),
    announcedBy: text("announced_by"),
    type: text("type").notNull(),
    name: text("name"),
    summary: text("summary"),
    contentHtml: text("content_html").notNull(),
    url: text("url"),
    inReplyTo: text("in_reply_to"),
    /** The structured record, when the post is a decision from another Connexo instance. */
    decision: text("decision", { mode: "json" }).$type<RemoteDecision>(),
    publishedAt: integer("published_at").notNull(),
    updatedAt: integer("updated_at"),
    deletedAt: integer("deleted_at"),
    receivedAt: integer("received_at").notNull().default(now),
  },
  (t) => [index("remote_posts_by_published").on(t.publishedAt)],
);

/** Likes and boosts that local actors send to remote objects. */
export const outgoingReactions = sqliteTable(
  "outgoing_reactions",
  {
    id: text("id").primaryKey(),
    actorId: integer("actor_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    objectUri: text("object_uri").notNull(),
    kind: text("kind", { enum: ["like", "announce"] }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [uniqueIndex("outgoing_reactions_once").on(t.actorId, t.objectUri, t.kind)],
);

/** Activities we sent, kept so that each is dereferenceable at its id. */
export const activities = sqliteTable("activities", {
  id: text("id").primaryKey(),
  json: text("json").notNull(),
  createdAt: integer("created_at").notNull().default(now),
});

export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  personId: integer("person_id")
    .notNull()
    .references(() => actors.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  label: text("label").notNull(),
  createdAt: integer("created_at").notNull().default(now),
  revokedAt: integer("revoked_at"),
});

/**
 * What the messages of one enqueued batch have in common (a fan-out's activity
 * and signing keys), written once instead of into each of its messages. Its
 * row goes with the last message that names it.
 */
export const queueSharedPayloads = sqliteTable("queue_shared_payloads", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** A JSON object: the fields each message that names it has besides its own. */
  payload: text("payload").notNull(),
});

/** Durable message queue: Fedify's deliveries and Connexo's own events. */
export const queueMessages = sqliteTable(
  "queue_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    queue: text("queue").notNull(),
    payload: text("payload").notNull(),
    orderingKey: text("ordering_key"),
    /** The remote server the message concerns (a delivery's inbox, an activity's sender), to share workers out fairly. */
    origin: text("origin"),
    availableAt: integer("available_at").notNull(),
    lockedUntil: integer("locked_until"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
    /** The fields it shares with the other messages of its batch, if it shares any. */
    sharedPayloadId: integer("shared_payload_id").references(() => queueSharedPayloads.id),
  },
  (t) => [
    index("queue_ready").on(t.queue, t.availableAt),
    index("queue_ordering").on(t.queue, t.orderingKey, t.id),
    index("queue_by_shared_payload").on(t.sharedPayloadId),
  ],
);

/** Fedify's key-value store. Keys are JSON arrays of strings. */
export const kv = sqliteTable("kv", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  expiresAt: integer("expires_at"),
});

/** Instance settings that the operator changes through the web: the instance's name, the setup token. */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Signed-in browsers. The id is the SHA-256 of the cookie's secret, so a leaked table signs no one in. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    personId: integer("person_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_by_person").on(t.personId)],
);

/** One-time invitation links that administrators send; the id is the SHA-256 of the link's secret. */
export const invitations = sqliteTable("invitations", {
  id: text("id").primaryKey(),
  invitedBy: integer("invited_by")
    .notNull()
    .references(() => actors.id, { onDelete: "cascade" }),
  note: text("note").notNull().default(""),
  createdAt: integer("created_at").notNull().default(now),
  expiresAt: integer("expires_at").notNull(),
  acceptedAt: integer("accepted_at"),
  acceptedBy: integer("accepted_by").references(() => actors.id, { onDelete: "set null" }),
});

/** One-time links to choose a new password, made by an administrator; stored by the hash of their secret. */
export const passwordResets = sqliteTable("password_resets", {
  id: text("id").primaryKey(),
  personId: integer("person_id")
    .notNull()
    .references(() => actors.id, { onDelete: "cascade" }),
  createdBy: integer("created_by").references(() => actors.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull().default(now),
  expiresAt: integer("expires_at").notNull(),
  usedAt: integer("used_at"),
});

/** Failed sign-ins, by account and by client address, to slow down guessing. */
export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("login_failures_by_key").on(t.key, t.at)],
);

/** Images people upload for their weeknotes; the files live on disk, sized down. */
export const media = sqliteTable(
  "media",
  {
    id: text("id").primaryKey(),
    ownerId: integer("owner_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    postId: text("post_id").references(() => posts.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    bytes: integer("bytes").notNull(),
    alt: text("alt").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("media_by_post").on(t.postId, t.position), uniqueIndex("media_file_name").on(t.fileName)],
);

/** Reports of posts, replies and accounts, from people here, visitors and other servers. */
export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    reporterId: integer("reporter_id").references(() => actors.id, { onDelete: "set null" }),
    reporterUri: text("reporter_uri"),
    subjectKind: text("subject_kind", { enum: REPORT_SUBJECT_KINDS }).notNull(),
    subjectUri: text("subject_uri").notNull(),
    communityId: integer("community_id").references(() => actors.id, { onDelete: "set null" }),
    remoteAuthorUri: text("remote_author_uri"),
    snapshot: text("snapshot").notNull().default(""),
    category: text("category", { enum: REPORT_CATEGORIES }).notNull(),
    note: text("note").notNull().default(""),
    state: text("state", { enum: REPORT_STATES }).notNull().default("open"),
    resolvedBy: integer("resolved_by").references(() => actors.id, { onDelete: "set null" }),
    resolvedAt: integer("resolved_at"),
    resolution: text("resolution").$type<ReportAction>(),
    resolutionNote: text("resolution_note").notNull().default(""),
    forwardedAt: integer("forwarded_at"),
  },
  (t) => [index("reports_by_state").on(t.state, t.createdAt), index("reports_by_subject").on(t.subjectUri)],
);

/** What became of each reply to a decision record's consultation, and the note that told its author. */
export const replyOutcomes = sqliteTable(
  "reply_outcomes",
  {
    decisionId: text("decision_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    /** The reply's id: a reply from elsewhere, or a note here. */
    replyUri: text("reply_uri").notNull(),
    /** Null when an outcome was taken back (its citation removed from the record). */
    kind: text("kind", { enum: OUTCOME_KINDS }),
    note: text("note").notNull().default(""),
    referralTarget: text("referral_target"),
    referralUri: text("referral_uri"),
    referralName: text("referral_name"),
    referralState: text("referral_state", { enum: ["here", "sending", "sent", "failed"] }),
    /** The public note answering the reply's author, updated when the outcome changes. */
    answerNoteId: text("answer_note_id").references(() => posts.id, { onDelete: "set null" }),
    setBy: integer("set_by").references(() => actors.id, { onDelete: "set null" }),
    setAt: integer("set_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.decisionId, t.replyUri] }),
    index("reply_outcomes_by_reply").on(t.replyUri),
    index("reply_outcomes_by_answer").on(t.answerNoteId),
  ],
);

/** What another Connexo instance said became of a reply written here (its answer carries the outcome in Connexo's terms). */
export const outcomesElsewhere = sqliteTable("outcomes_elsewhere", {
  postId: text("post_id")
    .primaryKey()
    .references(() => posts.id, { onDelete: "cascade" }),
  answerUri: text("answer_uri").notNull(),
  recordUri: text("record_uri").notNull(),
  recordTitle: text("record_title").notNull(),
  kind: text("kind", { enum: OUTCOME_KINDS }).notNull(),
  note: text("note").notNull().default(""),
  referredUri: text("referred_uri"),
  referredName: text("referred_name"),
  answeredBy: text("answered_by").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Replies referred to a community here, by one of its own instance's records or by a community elsewhere. */
export const referredInput = sqliteTable(
  "referred_input",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    communityId: integer("community_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    objectUri: text("object_uri").notNull(),
    objectUrl: text("object_url"),
    authorUri: text("author_uri"),
    authorName: text("author_name"),
    contentHtml: text("content_html").notNull(),
    note: text("note").notNull().default(""),
    referredByUri: text("referred_by_uri").notNull(),
    referredByName: text("referred_by_name"),
    recordUri: text("record_uri"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [uniqueIndex("referred_input_once").on(t.communityId, t.objectUri)],
);

/** What people here are told of: replies, mentions, followers, likes and boosts, invitations, outcomes of their replies. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recipientId: integer("recipient_id")
      .notNull()
      .references(() => actors.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    /** What caused it (an activity's or object's id): one notification per cause and person. */
    source: text("source").notNull(),
    /** Likes or boosts of one post share a key, and show as one while unread together. */
    groupKey: text("group_key").notNull(),
    postId: text("post_id").references(() => posts.id, { onDelete: "cascade" }),
    subjectUri: text("subject_uri"),
    /** Who acted: someone here, or someone elsewhere (their actor URI and name). */
    actorId: integer("actor_id").references(() => actors.id, { onDelete: "cascade" }),
    actorUri: text("actor_uri"),
    actorName: text("actor_name"),
    details: text("details", { mode: "json" }).$type<NotificationDetails>().notNull().default({}),
    createdAt: integer("created_at").notNull(),
    readAt: integer("read_at"),
    /** When it went out in an email digest. */
    emailedAt: integer("emailed_at"),
  },
  (t) => [
    uniqueIndex("notifications_once").on(t.recipientId, t.source),
    index("notifications_by_recipient").on(t.recipientId, t.createdAt),
    index("notifications_unread").on(t.recipientId, t.readAt),
  ],
);

/** Which kinds of notification each person also wants by email, and when their last digest went (at most one an hour). */
export const notificationSettings = sqliteTable("notification_settings", {
  personId: integer("person_id")
    .primaryKey()
    .references(() => actors.id, { onDelete: "cascade" }),
  emailKinds: text("email_kinds", { mode: "json" }).$type<NotificationKind[]>().notNull().default([]),
  lastDigestAt: integer("last_digest_at"),
});
