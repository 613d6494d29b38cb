import type {
  Decision,
  DecisionFields,
  DecisionFilter,
  DecisionHistoryEntry,
  DecisionStatus,
  NewHistoryEntry,
} from "../domain/decisions.ts";
import type { DomainEvent } from "../domain/events.ts";
import type { ListPage, PageAt } from "../domain/paging.ts";
import type { InputOutcome, OutcomeElsewhere, OutcomeKind, ReferredInput, Referral } from "../domain/outcomes.ts";
import type { ImpactRecord, PublishedOutcome } from "../domain/impact.ts";
import type { RecordReply } from "../domain/inputs.ts";
import type { DigestRecipient, NewNotification, Notification, NotificationKind, NotificationPreferences } from "../domain/notifications.ts";
import type { ReplyPolicy } from "../domain/reply-policy.ts";
import type { NewReport, Report, ReportAction, ReportState } from "../domain/reports.ts";
import type {
  AccountBlock,
  AllowedDomain,
  DomainBlock,
  ModerationEntry,
  ModerationFilter,
  NewModerationEntry,
} from "../domain/moderation.ts";
import type {
  Actor,
  ActorKeyRecord,
  ActorKind,
  FollowerRecipient,
  Invitation,
  Media,
  Session,
  Following,
  FollowingState,
  Membership,
  MembershipElsewhere,
  CommunityPost,
  RemoteMember,
  OutgoingReaction,
  Page,
  Post,
  PostKind,
  ReactionKind,
  RemoteActor,
  RemoteActorInput,
  RemotePost,
  RemotePostInput,
  NewReply,
  CommunityBlock,
  Reply,
  ReplyState,
  Role,
} from "../domain/types.ts";

/**
 * What services need from storage. Each method that changes state is atomic:
 * it commits everything it is given, the domain events included, or nothing.
 * Every method is async so that a networked database can stand behind it.
 */
export interface Store {
  /**
   * Runs a workflow as one unit of work: everything it does through `tx`
   * commits together when it returns, or not at all when it throws. Inside,
   * use `tx` only: on SQLite a write through the outer store would wait for
   * this very transaction, and is refused.
   */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * A number that changes whenever anything is committed to the database, by
   * this process or another, so that what was read can be kept until then.
   * Absent where it is not cheap to know (PostgreSQL) and inside transactions.
   */
  commitVersion?: () => number;
  actors: ActorRepository;
  remoteActors: RemoteActorRepository;
  follows: FollowRepository;
  posts: PostRepository;
  decisions: DecisionRepository;
  interactions: InteractionRepository;
  tokens: TokenRepository;
  activities: ActivityRepository;
  settings: SettingsRepository;
  accounts: AccountRepository;
  media: MediaRepository;
  memberships: MembershipRepository;
  events: EventRepository;
  moderationLog: ModerationLogRepository;
  domainBlocks: DomainBlockRepository;
  accountBlocks: AccountBlockRepository;
  communityBlocks: CommunityBlockRepository;
  reports: ReportRepository;
  outcomes: OutcomeRepository;
  impact: ImpactRepository;
  inputs: InputRepository;
  notifications: NotificationRepository;
}

/** What people here are told of, and which of it they also want by email. */
export interface NotificationRepository {
  /** Records a notification; false (changing nothing) if its recipient was already told of its source. */
  add(notification: NewNotification): Promise<boolean>;
  /** Which of these people were already told of this source. One query. */
  toldOf(recipientIds: number[], source: string): Promise<number[]>;
  /** A person's latest notifications, newest first. One query. */
  latest(recipientId: number, limit: number): Promise<Notification[]>;
  /** Marks these of the person's notifications read, those not read yet. */
  markRead(recipientId: number, ids: number[], at: Date): Promise<void>;
  /** How many groups of unread notifications a person has (likes of one post count once). One query. */
  countUnread(recipientId: number): Promise<number>;
  preferences(personId: number): Promise<NotificationPreferences | null>;
  setEmailKinds(personId: number, kinds: NotificationKind[]): Promise<void>;
  /** People with an address and kinds chosen whose last digest went before `dueBefore` (or never). One query. */
  digestRecipients(dueBefore: Date): Promise<DigestRecipient[]>;
  /** A person's unread notifications of these kinds not yet emailed, oldest first. */
  pendingDigest(personId: number, kinds: NotificationKind[], limit: number): Promise<Notification[]>;
  /** Takes the person's turn for a digest if their last went before `dueBefore`; only one of several concurrent claims wins. */
  claimDigest(personId: number, at: Date, dueBefore: Date): Promise<boolean>;
  markEmailed(ids: number[], at: Date): Promise<void>;
}

/** Someone's replies to this instance's decision records, wherever they wrote them. */
export interface InputRepository {
  /**
   * Shown replies from elsewhere by the accounts with this handle
   * (`@user@host`, compared without case) to published records here, newest
   * first, at most `limit`; what blocks leave out is left out. One query.
   */
  repliesByHandle(handle: string, limit: number): Promise<RecordReply[]>;
  /**
   * Published, shown notes by this person answering published records here
   * directly, newest first, at most `limit`. Notes name what they answer by
   * URL: `recordsUrl` is the records' address up to their id
   * (`https://host/decisions/`). One query.
   */
  notesOnRecords(authorId: number, recordsUrl: string, limit: number): Promise<RecordReply[]>;
}

/** What became of replies to consultations: here, told by other instances, and referred to communities here. */
export interface OutcomeRepository {
  /** Sets a reply's outcome, replacing the one it had. */
  put(outcome: InputOutcome): Promise<void>;
  find(decisionId: string, replyUri: string): Promise<InputOutcome | null>;
  /** The outcomes of these records' replies, in one query. */
  forDecisions(decisionIds: string[]): Promise<InputOutcome[]>;
  /** The outcome a note here answers with (its answer to a reply's author), if it is one. */
  byAnswerNote(noteId: string): Promise<InputOutcome | null>;
  /** The outcomes of these replies, whatever record they answered, in one query. */
  forReplies(replyUris: string[]): Promise<InputOutcome[]>;
  /** Records where a referral elsewhere got to; false if the reply has no such referral waiting. */
  setReferral(decisionId: string, replyUri: string, referral: Referral): Promise<boolean>;
  /** Keeps (or replaces) what another instance said became of a note here. */
  putElsewhere(outcome: OutcomeElsewhere): Promise<void>;
  /** Forgets what an actor said became of a note here; whether there was anything. */
  removeElsewhere(postId: string, answeredBy: string): Promise<boolean>;
  /** What other instances said became of these notes here, in one query. */
  elsewhereFor(postIds: string[]): Promise<OutcomeElsewhere[]>;
  /** Adds a reply referred to a community here; false if it was referred there already. */
  addReferred(input: Omit<ReferredInput, "id">): Promise<boolean>;
  /** What was referred to a community, newest first. */
  referredTo(communityId: number, limit: number): Promise<ReferredInput[]>;
}

/** Which consultations the impact figures count: a community's (or every community's) published records whose consultation closed by a time. */
export interface ConsultationScope {
  communityId: number | null;
  closedBy: Date;
}

/** What the public impact pages read, each method one query however many records the scope holds. */
export interface ImpactRepository {
  /** The records whose consultation closed, earliest first. */
  consultations(scope: ConsultationScope): Promise<ImpactRecord[]>;
  /** Replies from elsewhere answering those records directly (a record's URL is the prefix and its id) that are still shown. */
  remoteReplies(scope: ConsultationScope, recordUrlPrefix: string): Promise<{ recordId: string; uri: string; fromConnexo: boolean }[]>;
  /** Notes written here answering those records directly, published and not hidden; a record's URL is the prefix and its id. */
  localReplies(scope: ConsultationScope, recordUrlPrefix: string): Promise<{ id: string; inReplyTo: string }[]>;
  /** The outcomes set for those records' replies (a null kind: taken back). */
  outcomes(scope: ConsultationScope): Promise<{ recordId: string; replyUri: string; kind: OutcomeKind | null }[]>;
  /** The latest outcomes (with a kind) of replies still shown, to published records of a community or all, newest first; a note's URL is the prefix and its id. */
  latestOutcomes(communityId: number | null, noteUrlPrefix: string, limit: number): Promise<PublishedOutcome[]>;
}

/** Accounts elsewhere blocked by the instance. */
export interface AccountBlockRepository {
  /** Blocks an account, or gives a blocked one a new reason; whether it was new. */
  put(block: AccountBlock): Promise<boolean>;
  /** Lifts an account's block; whether there was one. */
  remove(uri: string): Promise<boolean>;
  /** Every blocked account, newest first, with the account as known here. */
  list(): Promise<(AccountBlock & { account: RemoteActor | null })[]>;
  isBlocked(uri: string): Promise<boolean>;
  /** Which of these accounts are blocked (one query). */
  blockedAmong(uris: string[]): Promise<string[]>;
  /** Whether a key belongs to a blocked account, from its id alone (`{actor}#…` or `{actor}/…`). One query. */
  blocksKey(keyId: string): Promise<boolean>;
}

/** Accounts blocked from one community by its moderators. */
export interface CommunityBlockRepository {
  /** Blocks an account; a conflict if it already is. */
  add(block: Omit<CommunityBlock, "account">): Promise<void>;
  /** Lifts a block; false if there was none. */
  remove(communityId: number, actorUri: string): Promise<boolean>;
  /** A community's blocks, newest first, with the accounts as known here. */
  list(communityId: number): Promise<CommunityBlock[]>;
  isBlocked(communityId: number, actorUri: string): Promise<boolean>;
}

/** Reports of posts, replies and accounts. */
export interface ReportRepository {
  create(report: NewReport): Promise<Report>;
  find(id: string): Promise<Report | null>;
  /** Reports in this state, oldest first, at most `limit`; only those in these communities if `communityIds` is given. */
  list(state: ReportState, limit: number, communityIds?: number[]): Promise<Report[]>;
  /** Closes an open report; false when it was not open. */
  close(
    id: string,
    close: { state: Exclude<ReportState, "open">; by: number; at: Date; resolution: ReportAction; note: string },
  ): Promise<boolean>;
  /** Marks a report forwarded; false when it already was. */
  markForwarded(id: string, at: Date): Promise<boolean>;
}

/** Domains the instance refuses, and what that ends. */
export interface DomainBlockRepository {
  /** Blocks a domain, or gives a blocked one a new reason; whether it was new. */
  put(block: DomainBlock): Promise<boolean>;
  /** Lifts a block; whether there was one. */
  remove(domain: string): Promise<boolean>;
  find(domain: string): Promise<DomainBlock | null>;
  /** Every block, by domain. */
  list(): Promise<DomainBlock[]>;
  /** Which of these domains are blocked (one query). */
  blockedAmong(domains: string[]): Promise<string[]>;
  /** Ends every follow of a local actor by a remote actor on this domain or its subdomains; how many ended. */
  removeFollowersOn(domain: string): Promise<number>;
  /** Puts a domain on the allow list, or gives a listed one a new note; whether it was new. */
  allow(entry: AllowedDomain): Promise<boolean>;
  /** Takes a domain off the allow list; whether it was on it. */
  disallow(domain: string): Promise<boolean>;
  /** The allow list, by domain. */
  listAllowed(): Promise<AllowedDomain[]>;
  /** Which of these domains are on the allow list (one query). */
  allowedAmong(domains: string[]): Promise<string[]>;
}

/** What moderators did, kept for good: entries are added and read, and there is no way to change or remove one. */
export interface ModerationLogRepository {
  record(entry: NewModerationEntry): Promise<ModerationEntry>;
  /** Entries matching the filter, newest first. */
  list(filter: ModerationFilter, limit: number, offset: number): Promise<ModerationEntry[]>;
}

/** What a profile edit changes. */
export type ProfileChange = Pick<
  Actor,
  "displayName" | "summary" | "jobTitle" | "description" | "profileLinks" | "avatarUrl" | "avatarAlt"
>;

export interface NewActor {
  handle: string;
  kind: ActorKind;
  displayName: string;
  summary: string;
  jobTitle?: string | null;
  passwordHash?: string | null;
  replyPolicy?: ReplyPolicy;
  isAdmin?: boolean;
}

export interface ActorRepository {
  /** Creates the actor with its keys; fails with a conflict if the handle is taken. */
  create(actor: NewActor, keys: ActorKeyRecord[]): Promise<Actor>;
  findByHandle(handle: string): Promise<Actor | null>;
  findById(id: number): Promise<Actor | null>;
  /** Local actors (any kind, deactivated too) with these ids, in one query; unknown ids are left out, in no particular order. */
  findByIds(ids: number[]): Promise<Actor[]>;
  /** Local actors with these (normalised) handles, in one query; in no particular order. */
  findByHandles(handles: string[]): Promise<Actor[]>;
  /** The person's password hash, kept out of the Actor record so it goes nowhere by accident. */
  passwordHash(id: number): Promise<string | null>;
  list(kind: ActorKind): Promise<Actor[]>;
  count(kind: ActorKind): Promise<number>;
  keys(actorId: number): Promise<ActorKeyRecord[]>;
  setMembership(communityId: number, personId: number, role: Role): Promise<void>;
  /** Ends a membership; false when there was none. */
  removeMembership(communityId: number, personId: number): Promise<boolean>;
  membership(communityId: number, personId: number): Promise<Role | null>;
  setReplyPolicy(communityId: number, policy: ReplyPolicy): Promise<void>;
  /** Changes what an actor's profile shows, with the events that tell other servers, together. */
  updateProfile(id: number, profile: ProfileChange, events: DomainEvent[]): Promise<Actor>;
  membershipsOfCommunity(communityId: number): Promise<Membership[]>;
  /** The community's local administrators whose accounts are active, by handle. */
  activeAdminsOf(communityId: number): Promise<Actor[]>;
  membershipsOfPerson(personId: number): Promise<Membership[]>;
}

/** Memberships that cross servers (local ones are in ActorRepository). */
export interface MembershipRepository {
  // A local community's people on other servers.
  addMember(member: Omit<RemoteMember, "person" | "createdAt"> & { remoteActorId: number | null }): Promise<void>;
  updateMember(
    id: string,
    change: Partial<Pick<RemoteMember, "role" | "state" | "channel" | "activityUri" | "expiresAt">> & { remoteActorId?: number | null },
  ): Promise<boolean>;
  removeMember(id: string): Promise<boolean>;
  findMember(id: string): Promise<RemoteMember | null>;
  memberByActor(communityId: number, remoteActorUri: string): Promise<RemoteMember | null>;
  memberByTarget(communityId: number, target: string): Promise<RemoteMember | null>;
  /** The membership begun by this Invite, invitation message or Join. */
  memberByActivity(activityUri: string): Promise<RemoteMember | null>;
  /** Everyone elsewhere in the community, in any state, oldest first. */
  membersOf(communityId: number): Promise<RemoteMember[]>;
  countRemoteAdmins(communityId: number): Promise<number>;
  /** The role of an active member elsewhere; null for anyone else. */
  activeRole(communityId: number, remoteActorUri: string): Promise<Role | null>;

  // A local person's memberships of communities elsewhere.
  addElsewhere(membership: Omit<MembershipElsewhere, "community" | "createdAt"> & { remoteActorId: number | null }): Promise<void>;
  updateElsewhere(
    id: string,
    change: Partial<Pick<MembershipElsewhere, "role" | "state" | "activityUri" | "membershipUri">> & { remoteActorId?: number | null },
  ): Promise<boolean>;
  removeElsewhere(id: string): Promise<boolean>;
  findElsewhere(id: string): Promise<MembershipElsewhere | null>;
  elsewhereByCommunity(personId: number, communityUri: string): Promise<MembershipElsewhere | null>;
  elsewhereByTarget(personId: number, target: string): Promise<MembershipElsewhere | null>;
  elsewhereByActivity(activityUri: string): Promise<MembershipElsewhere | null>;
  /** A person's memberships elsewhere, in any state, oldest first. */
  elsewhereOf(personId: number): Promise<MembershipElsewhere[]>;

  // What members elsewhere publish in a local community (the posts themselves are remote posts).
  /** Records the post as the community's; false if it already was. */
  addCommunityPost(communityId: number, postUri: string, remoteActorId: number): Promise<boolean>;
  /** Takes a post out of the community; false if it was not in it. */
  removeCommunityPost(communityId: number, postUri: string): Promise<boolean>;
  /** The local communities a remote post was published in. */
  communityOfPost(postUri: string): Promise<number[]>;
  /** The community's posts from elsewhere, not deleted, newest first, received before `before` if given. */
  communityPosts(communityId: number, before: Date | null, limit: number): Promise<CommunityPost[]>;

  // The directory of communities.
  /** Active members of each local community that has any, by its id: people here not deactivated, and people elsewhere. */
  memberCounts(): Promise<Map<number, number>>;
  /**
   * Communities on other servers that people here are in (active memberships)
   * or that actors here follow (accepted follows of a Group), by name.
   */
  communitiesElsewhere(): Promise<CommunityElsewhere[]>;
}

/** A community on another server, as the directory lists it. */
export interface CommunityElsewhere {
  community: RemoteActor;
  /** How many people here are its members. */
  members: number;
  /** Whether a person or community here follows it. */
  followed: boolean;
}

/** Domain events recorded on their own, inside a workflow's unit of work. */
export interface EventRepository {
  record(events: DomainEvent[]): Promise<void>;
}

export interface RemoteActorRepository {
  upsert(actor: RemoteActorInput): Promise<RemoteActor>;
  findByUri(uri: string): Promise<RemoteActor | null>;
  findById(id: number): Promise<RemoteActor | null>;
  /** The actor known by this handle (`@user@host`, compared without regard to case), the latest seen if there are several; null if none. */
  findByHandle(handle: string): Promise<RemoteActor | null>;
  /** The actor whose id or profile page (`url`) is this address; null if none is known. */
  findByAddress(address: string): Promise<RemoteActor | null>;
  /** Forgets a remote actor that was deleted: its follows and reactions go, its replies lose their author. */
  remove(uri: string): Promise<boolean>;
}

export interface FollowRepository {
  addFollower(actorId: number, remoteActorId: number, followUri: string): Promise<void>;
  removeFollower(actorId: number, remoteActorUri: string): Promise<boolean>;
  /** Ends every follow of a local actor by this remote actor; how many there were. */
  removeFollowsBy(remoteActorUri: string): Promise<number>;
  /** Drops every follower who is reached at this inbox (it answered "gone"). */
  removeFollowersAtInbox(inbox: string): Promise<number>;
  followers(actorId: number, cursor: string | null, limit: number): Promise<Page<FollowerRecipient>>;
  countFollowers(actorId: number): Promise<number>;
  createFollowing(following: { id: string; actorId: number; target: string }, events: DomainEvent[]): Promise<Following>;
  findFollowing(id: string): Promise<Following | null>;
  /** A local actor's follow of this target, as it was asked for (@user@host or a URL). */
  findFollowingTo(actorId: number, target: string): Promise<Following | null>;
  /** Records what a follow's lookup found; false when the follow is gone (taken back meanwhile). */
  resolveFollowing(id: string, remoteActorId: number | null, state: FollowingState): Promise<boolean>;
  setFollowingState(actorId: number, remoteActorUri: string, state: FollowingState): Promise<boolean>;
  following(actorId: number, cursor: string | null, limit: number): Promise<Page<RemoteActor>>;
  /** A page of the follows a local actor asked for and that stand (resolving, pending or accepted), newest first. */
  followingPage(actorId: number, at: PageAt, limit: number): Promise<ListPage<Following>>;
  /** A page of a local actor's followers, newest first. */
  followersPage(actorId: number, at: PageAt, limit: number): Promise<ListPage<RemoteActor>>;
  /** Forgets a follow, recording the events with it; false if there was none. */
  removeFollowing(id: string, events: DomainEvent[]): Promise<boolean>;
  countFollowing(actorId: number): Promise<number>;
  /** Whether this remote actor follows this local actor. */
  isFollower(actorId: number, remoteActorUri: string): Promise<boolean>;
  /** Whether any local actor follows this remote actor (accepted). */
  isFollowedLocally(remoteActorUri: string): Promise<boolean>;
  /** Whether any remote actor on this origin (`https://host`, a port if not the scheme's own) follows an actor here. */
  hasFollowerFrom(origin: string): Promise<boolean>;
}

export interface PostRepository {
  /**
   * Stores a new post with its events and, in the same transaction, attaches
   * these images (the author's own, unattached) in this order.
   */
  insert(post: Post, events: DomainEvent[], mediaIds?: string[]): Promise<void>;
  /** Saves a post with its events; if mediaIds is given, the post's images become exactly those, in order. */
  update(post: Post, events: DomainEvent[], mediaIds?: string[]): Promise<void>;
  findById(id: string): Promise<Post | null>;
  /** Records the answer a post elsewhere gave a note replying to it: an authorization, or a refusal. */
  setReplyAnswer(id: string, answer: { authorization: string } | { refusedAt: Date }): Promise<boolean>;
  /** Posts of any kind and state with these ids, in one query; in no particular order. */
  findByIds(ids: string[]): Promise<Post[]>;
  /** Published posts (newest first) authored by the actor or published in the community; of these kinds only, if given. */
  listByActor(actorId: number, cursor: string | null, limit: number, kinds?: PostKind[]): Promise<Page<Post>>;
  countByActor(actorId: number): Promise<number>;
  listRecent(limit: number): Promise<Post[]>;
  /** Published weeknotes with this tag, newest first. */
  listByTag(tag: string, limit: number): Promise<Post[]>;
  /** Pages of published weeknotes: the instance's, an actor's (of these kinds), a tag's; newest first, by (published, id). */
  pageRecent(at: PageAt, limit: number): Promise<ListPage<Post>>;
  pageByActor(actorId: number, at: PageAt, limit: number, kinds?: PostKind[]): Promise<ListPage<Post>>;
  pageByTag(tag: string, at: PageAt, limit: number): Promise<ListPage<Post>>;
  /** A person's drafts, newest first. */
  listDrafts(authorId: number): Promise<Post[]>;
  /** Published notes (local replies) answering any of these URLs, oldest first; hidden ones only if asked. */
  listNotesReplyingTo(urls: string[], withHidden?: boolean): Promise<Post[]>;
  /** Hides a note from its thread (at this time), or shows it again (null); whether it changed. */
  setHidden(id: string, at: Date | null): Promise<boolean>;
}

/** One change to a decision record, stored whole or not at all. */
export interface DecisionChange {
  post: Post;
  fields: DecisionFields;
  /** The timeline entry for the change; none for a draft, whose changes no one else has seen. */
  history: NewHistoryEntry | null;
  events: DomainEvent[];
  /** Notes published with the change: telling people that their input was used. */
  notes?: Post[];
}

export interface DecisionRepository {
  insert(change: DecisionChange): Promise<void>;
  /**
   * Saves a change if the record is still at the version it was read at;
   * returns false (changing nothing) if someone else changed it meanwhile.
   */
  save(change: DecisionChange, readVersion: number): Promise<boolean>;
  /**
   * Whether the record is still at this version, holding it (inside a
   * transaction) until the transaction ends, so a change made alongside
   * waits for this one.
   */
  holdAt(id: string, version: number): Promise<boolean>;
  find(id: string): Promise<Decision | null>;
  /** A record's timeline, oldest first. */
  history(id: string): Promise<DecisionHistoryEntry[]>;
  /** Published records matching the filter, most recently changed first. */
  list(filter: DecisionFilter, limit: number, offset: number): Promise<Decision[]>;
  /** How many published records match the filter in each status (the filter's own status is ignored). */
  countByStatus(filter: DecisionFilter): Promise<Record<DecisionStatus, number>>;
  /** The latest timeline entries of published records (of one community, if given), newest first, with their records. */
  recentHistory(communityId: number | null, limit: number): Promise<{ entry: DecisionHistoryEntry; decision: Decision }[]>;
}

export interface InteractionRepository {
  /** Stores a reply (shown, unless held), or updates its content if it is already known. */
  saveReply(reply: NewReply): Promise<void>;
  /** Shows a held reply, with the authorization served for it; false if it was not held. */
  approveReply(uri: string, authorizationId: string): Promise<boolean>;
  /** The reply a ReplyAuthorization (by its id) was given for. */
  findReplyByAuthorization(authorizationId: string): Promise<Reply | null>;
  /** Held replies to the posts of these communities (or of any), oldest first, at most `limit`. */
  heldReplies(communityIds: number[] | "all", limit: number): Promise<Reply[]>;
  /** How many replies to the posts of these communities (or of any) are held. */
  countHeldReplies(communityIds: number[] | "all"): Promise<number>;
  /** Whether this account has a reply shown on a post of this community, or a post published in it. */
  hasTakenPart(communityId: number, remoteActorUri: string): Promise<boolean>;
  findReplyByUri(uri: string): Promise<Reply | null>;
  /** Where a reply stands, without the reply: asked of every reply received, to tell one delivered again. */
  replyStateByUri(uri: string): Promise<{ state: ReplyState; postId: string } | null>;
  updateReply(uri: string, contentHtml: string, updatedAt: Date): Promise<void>;
  deleteReply(uri: string): Promise<void>;
  /** A post's replies in these states (visible ones only, unless asked), oldest first. */
  replies(postId: string, states?: ReplyState[]): Promise<Reply[]>;
  /** How many replies a post has in these states (visible ones, unless asked). */
  countReplies(postId: string, states?: ReplyState[]): Promise<number>;
  /** Puts a reply in this state; false if there is no such reply. */
  setReplyState(uri: string, state: ReplyState): Promise<boolean>;
  addReaction(activityUri: string, postId: string, remoteActorId: number, kind: ReactionKind): Promise<void>;
  /** Removes a reaction by its activity id, or by (post, actor, kind). */
  removeReaction(match: { activityUri?: string; postId?: string; remoteActorId: number; kind: ReactionKind }): Promise<boolean>;
  countReactions(postId: string): Promise<{ likes: number; announces: number }>;
  reactors(postId: string, kind: ReactionKind): Promise<string[]>;
  saveRemotePost(post: RemotePostInput): Promise<void>;
  findRemotePost(uri: string): Promise<RemotePost | null>;
  markRemotePostDeleted(uri: string, deletedAt: Date): Promise<void>;
  /** Forgets that this actor boosted the remote post (it took the boost back); whether it had. */
  forgetBoost(postUri: string, announcedBy: string): Promise<boolean>;
  /** Posts from the remote actors a local actor follows, newest first. */
  timeline(actorId: number, limit: number): Promise<RemotePost[]>;
  /** A page of the same, by (published, uri). */
  timelinePage(actorId: number, at: PageAt, limit: number): Promise<ListPage<RemotePost>>;
  addOutgoingReaction(reaction: OutgoingReaction, events: DomainEvent[]): Promise<void>;
  findOutgoingReaction(id: string): Promise<OutgoingReaction | null>;
  /** Takes back a like or boost, recording the events made from it; null if there was none. */
  removeOutgoingReaction(
    actorId: number,
    objectUri: string,
    kind: ReactionKind,
    eventsFor: (reaction: OutgoingReaction) => DomainEvent[],
  ): Promise<OutgoingReaction | null>;
  /** Which of these posts a local actor liked or boosted. */
  outgoingReactionsTo(actorId: number, objectUris: string[]): Promise<{ objectUri: string; kind: ReactionKind }[]>;
}

export interface TokenRepository {
  create(personId: number, tokenHash: string, label: string): Promise<void>;
  /** Revokes every API token a person holds. */
  revokeAll(personId: number, at: Date): Promise<void>;
  findPerson(tokenHash: string): Promise<Actor | null>;
}

export interface ActivityRepository {
  save(id: string, json: unknown): Promise<void>;
  find(id: string): Promise<unknown | null>;
}

/** The keys of the settings table. */
export const SETTING = {
  /** The name the operator gave the instance at setup (overrides CONNEXO_INSTANCE_NAME). */
  instanceName: "instance_name",
  /** SHA-256 of the one-time setup link's secret, while the instance has no administrator. */
  setupTokenHash: "setup_token_hash",
  /** The key that signs the anti-forgery tokens of signed-out forms, shared by every web process. */
  csrfSecret: "csrf_secret",
  /** The IANA time zone every time is shown and entered in (Europe/London where unset). */
  timeZone: "time_zone",
} as const;

export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Sets the value only if the key has none; returns whether it did. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  /** Deletes the key if it holds this value; returns whether it did (a claim only one caller wins). */
  take(key: string, value: string): Promise<boolean>;
}

export interface NewSession {
  id: string;
  personId: number;
  csrfToken: string;
  expiresAt: Date;
}

/** Who may sign in, and how: setup, sessions, invitations, failed sign-ins, deactivation. */
export interface AccountRepository {
  countAdmins(): Promise<number>;
  createSession(session: NewSession): Promise<void>;
  /** An unexpired session of an active person. */
  findSession(id: string, now: Date): Promise<Session | null>;
  deleteSession(id: string): Promise<void>;
  createInvitation(invitation: Pick<Invitation, "id" | "invitedBy" | "note" | "expiresAt">): Promise<void>;
  findInvitation(id: string): Promise<Invitation | null>;
  /** Invitations not yet accepted nor expired, newest first. */
  pendingInvitations(now: Date): Promise<Invitation[]>;
  /**
   * Marks an invitation accepted if it is still open (not accepted, not
   * expired); whether it was. Only one of several concurrent claims succeeds.
   */
  claimInvitation(id: string, now: Date): Promise<boolean>;
  /** Records who joined through an invitation. */
  setInvitee(id: string, personId: number): Promise<void>;
  /** Deletes an invitation not yet accepted; returns whether there was one. */
  cancelInvitation(id: string): Promise<boolean>;
  recordLoginFailure(keys: string[], at: Date): Promise<void>;
  /** How many failed sign-ins a key (an account or a client address) had since then, and the latest one. */
  loginFailures(key: string, since: Date): Promise<{ count: number; latest: Date | null }>;
  /** The keys starting with this prefix that had failed sign-ins since then, with how many each. */
  loginFailureCounts(keyPrefix: string, since: Date): Promise<Map<string, number>>;
  clearLoginFailures(key: string): Promise<void>;
  /** Marks a person deactivated (see ActorService.deactivate for all that goes with it). */
  deactivate(personId: number, at: Date): Promise<void>;
  /** Ends every session of a person, but the one with this id if given. */
  endSessions(personId: number, exceptSessionId?: string): Promise<void>;
  setPasswordHash(personId: number, passwordHash: string): Promise<void>;
  createPasswordReset(reset: { id: string; personId: number; createdBy: number | null; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** The person an unused, unexpired reset link (by its id) is for; null otherwise. */
  openPasswordReset(id: string, now: Date): Promise<number | null>;
  /** Uses a reset link if it is still open; the person it is for, or null. Only one of several concurrent claims succeeds. */
  claimPasswordReset(id: string, now: Date): Promise<number | null>;
  reactivate(personId: number): Promise<void>;
  setAdmin(personId: number, isAdmin: boolean): Promise<void>;
  /** A person's email address (stored lower-cased), or null if they gave none. */
  emailOf(personId: number): Promise<string | null>;
  /** Sets (lower-cased) or clears a person's email address; an address another account has is a conflict on the `email` field. */
  setEmail(personId: number, email: string | null): Promise<void>;
  /** The person with this email address, whatever its case; null if no one has it. */
  personByEmail(email: string): Promise<Actor | null>;
}

export interface MediaRepository {
  create(media: Omit<Media, "createdAt" | "postId" | "position">): Promise<Media>;
  find(id: string): Promise<Media | null>;
  /** Images with these ids, attached or not, in one query; in no particular order. */
  findByIds(ids: string[]): Promise<Media[]>;
  findByFileName(fileName: string): Promise<Media | null>;
  forPost(postId: string): Promise<Media[]>;
  forPosts(postIds: string[]): Promise<Media[]>;
  /** Deletes images attached to no post that were uploaded before this time; returns them, so their files can go too. */
  deleteUnattached(uploadedBefore: Date): Promise<Media[]>;
}
