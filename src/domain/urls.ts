/**
 * Where things live on an instance. Pages and ActivityPub documents share
 * these addresses (an actor's id is its page, a weeknote's id is its page),
 * so the web routes, the pages that link to them and the federation code
 * that names them all build them here. Paths are relative to the instance;
 * `absoluteUrl` puts one on the instance's origin. Fedify's route templates
 * are the same builders given its placeholders (`postPath("{id}")`).
 */

/** A path on the instance as an absolute URL. */
export const absoluteUrl = (origin: string | URL, path: string): string => new URL(path, origin).href;

// Actors: people, communities and the instance actor. The actor's id and its page are one URL.

export const actorPath = <H extends string>(handle: H) => `/@${handle}` as const;
/** An actor's weeknotes as an Atom feed. */
export const actorFeedPath = (handle: string) => `${actorPath(handle)}/feed.atom`;
/** A community's register of decision records. */
export const communityDecisionsPath = (handle: string) => `${actorPath(handle)}/decisions`;
export const communityDecisionFeedPath = (handle: string) => `${communityDecisionsPath(handle)}/feed.atom`;
/** What consultations received and what became of it, quarter by quarter: a community's, or (without a handle) every community's here. */
export const impactPath = (handle?: string) => (handle === undefined ? "/impact" : `${actorPath(handle)}/impact`);
/** The latest outcomes of replies to consultations, as an Atom feed: a community's, or every community's here. */
export const impactFeedPath = (handle?: string) => `${impactPath(handle)}/outcomes.atom`;
/** An actor's ActivityPub collections and inbox. */
export type ActorCollection = "followers" | "following" | "outbox" | "inbox";
export const actorCollectionPath = <H extends string, C extends ActorCollection>(handle: H, collection: C) =>
  `/@${handle}/${collection}` as const;
/** Where servers that share an inbox deliver to all of this instance's actors at once. */
export const SHARED_INBOX_PATH = "/inbox";
/** Where a community's administrators manage its members. */
export const membersPath = (handle: string) => `${actorPath(handle)}/members`;
/** One member's row in a community's members page: `/role` and `/remove` under it. */
export const memberPath = (communityHandle: string, personHandle: string) => `${membersPath(communityHandle)}/${personHandle}`;
/** A member elsewhere's row in the members page, by the membership's id: `/role`, `/remove`, `/accept` and `/reject` under it. */
export const remoteMemberPath = (communityHandle: string, id: string) => `${membersPath(communityHandle)}/elsewhere/${id}`;
/** Where a community's moderators choose who may reply and block accounts: `/reply-policy`, `/block` and `/unblock` under it. */
export const communityModerationPath = (handle: string) => `${actorPath(handle)}/moderation`;
/** The form that takes a member's post from elsewhere out of a community. */
export const withdrawSharedPath = (communityHandle: string) => `${actorPath(communityHandle)}/shared/withdraw`;
/** The instance's directory of communities: its own, and those elsewhere its people belong to or follow. */
export const COMMUNITIES_PATH = "/communities";
/** A community's administrators and facilitators, as a collection for servers (its Group's attributedTo). */
export const moderatorsPath = (handle: string) => `${actorPath(handle)}/moderators`;

// Posts. Weeknotes are Articles at /posts, notes (replies written here) are Notes at /notes, decision records are Articles at /decisions.

export const postPath = <I extends string>(id: I) => `/posts/${id}` as const;
/** Where the authorization given to an approved reply from elsewhere is served (GoToSocial's ReplyAuthorization). */
export const authorizationPath = <I extends string>(id: I) => `/authorizations/${id}` as const;

export const notePath = <I extends string>(id: I) => `/notes/${id}` as const;
export const decisionPath = (id: string) => `/decisions/${id}`;

/** The collections about a post, of any kind: they live under /posts/{id}. */
export type PostCollection = "replies" | "likes" | "shares";
export const postCollectionPath = <I extends string, C extends PostCollection>(id: I, collection: C) =>
  `/posts/${id}/${collection}` as const;

/** A local post's page and id, whatever its kind. */
export function localPostPath(post: { id: string; kind: "weeknote" | "decision" | "note" }): string {
  if (post.kind === "decision") return decisionPath(post.id);
  return post.kind === "note" ? notePath(post.id) : postPath(post.id);
}

/** The id of the post here that a URL names (a weeknote, note or decision record on this origin), or null. */
export function localPostIdOf(url: string, origin: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.origin !== new URL(origin).origin) return null;
  return /^\/(?:posts|notes|decisions)\/([0-9a-f-]{36})$/.exec(parsed.pathname)?.[1] ?? null;
}

/** A weeknote's forms: editing and deleting it (`replies` takes the reply form's posts, like the collection). */
export const postEditPath = (id: string) => `${postPath(id)}/edit`;
export const postDeletePath = (id: string) => `${postPath(id)}/delete`;

/** The registers of decision records, and proposing one. */
export const DECISIONS_PATH = "/decisions";
export const DECISION_FEED_PATH = "/decisions/feed.atom";
/** Proposing a record, optionally in a given community. */
export const newDecisionPath = (communityHandle?: string) =>
  communityHandle ? `/decisions/new?community=${encodeURIComponent(communityHandle)}` : "/decisions/new";
/** One of a record's forms: `edit`, or a move (`open`, `close`, `decide`, `supersede`, `withdraw`), or `replies`. */
export const decisionFormPath = (id: string, form: string) => `${decisionPath(id)}/${form}`;
/** A draft decision record's form, only for its author, until it is proposed. */
export const decisionDraftPath = (id: string) => decisionFormPath(id, "draft");
export const decisionDraftDeletePath = (id: string) => `${decisionDraftPath(id)}/delete`;

export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}`;

/** An uploaded image. */
export const mediaPath = (fileName: string) => `/media/${fileName}`;

/** An activity we sent, kept so that its id answers with it. */
export const activityPath = (id: string) => `/activities/${id}`;

/** The instance's weeknotes as an Atom feed. */
export const FEED_PATH = "/feed.atom";

// Accounts.

export const setupPath = (secret: string) => `/setup/${secret}`;
/** A one-time link to choose a new password. */
export const passwordResetPath = (secret: string) => `/password-reset/${secret}`;
/** Where a signed-in person changes their password. */
export const CHANGE_PASSWORD_PATH = "/account/password";
/** Where a signed-in person gives the email address their reset links go to. */
export const ACCOUNT_EMAIL_PATH = "/account/email";
/** "Forgot your password?": asking for a reset link by email (the links themselves are below it). */
export const FORGOT_PASSWORD_PATH = "/password-reset";
export const invitationPath = (secret: string) => `/invitations/${secret}`;

/** A signed-in person's notifications, and their choice of which also come by email. */
export const NOTIFICATIONS_PATH = "/notifications";
export const NOTIFICATION_SETTINGS_PATH = "/notifications/settings";
/** A person's memberships of communities on other servers; posting here asks to join one. */
export const MEMBERSHIPS_PATH = "/memberships";
/** Replies waiting for approval, for those who moderate. */
export const MODERATION_PATH = "/moderation";
/** One membership elsewhere, by its id: `/accept`, `/decline` and `/leave` under it. */
export const membershipElsewherePath = (id: string) => `${MEMBERSHIPS_PATH}/${id}`;

/** The document stating what became of a reply, beside the note that answered it (Connexo's terms, for other instances). */
export const outcomeDocumentPath = (answerNoteId: string) => `${notePath(answerNoteId)}/outcome`;
/** Where those who may set them give a record's replies their outcomes. */
export const decisionOutcomesPath = (id: string) => `${decisionPath(id)}/outcomes`;

/** Everything one person replied to this instance's decision records, with the outcomes: a form, then `?author=@name@host`. */
export const INPUT_PATH = "/input";
export const inputPath = (author?: string) => (author ? `${INPUT_PATH}?author=${encodeURIComponent(author)}` : INPUT_PATH);
/** Replies to consultations referred to a community here, by communities here or elsewhere. */
export const referredPath = (handle: string) => `${actorPath(handle)}/referred`;

/** Where a person edits their own profile. */
export const PROFILE_PATH = "/account/profile";
/** Where a community's administrators edit its profile. */
export const communityProfilePath = (handle: string) => `${actorPath(handle)}/profile`;

/** Liking and boosting posts from the web, and taking it back. */
export const REACTIONS_PATH = "/reactions";
/** Whom a person and the communities they manage follow, and who follows them. */
export const FOLLOWS_PATH = "/follows";
export const followsPath = (as?: string) => (as ? `${FOLLOWS_PATH}?as=${encodeURIComponent(as)}` : FOLLOWS_PATH);
export const UNFOLLOW_PATH = `${FOLLOWS_PATH}/unfollow`;
