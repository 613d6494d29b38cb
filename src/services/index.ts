import type { MediaFiles } from "../storage/media-files.ts";
import type { DeadLetterTable } from "../storage/queue-table.ts";
import type { Store } from "../storage/repositories.ts";
import { AccountBlockService } from "./account-blocks.ts";
import { AccountEmailService } from "./account-email.ts";
import { ActorService } from "./actors.ts";
import { CommunityMemberService } from "./community-members.ts";
import { CommunityModerationService } from "./community-moderation.ts";
import { MembershipElsewhereService } from "./memberships-elsewhere.ts";
import { DeadLetterService } from "./dead-letters.ts";
import { DecisionReadingService } from "./decision-reading.ts";
import { DecisionService } from "./decisions.ts";
import { DeliveryService } from "./deliveries.ts";
import { type FederationMode, FederationPolicyService } from "./federation-policy.ts";
import { FollowService } from "./follows.ts";
import { ForgottenPasswordService } from "./forgotten-passwords.ts";
import { ImpactService } from "./impact.ts";
import { InteractionService } from "./interactions.ts";
import { InputService } from "./inputs.ts";
import { InstanceSettingsService } from "./instance-settings.ts";
import { InvitationService } from "./invitations.ts";
import type { MailFailureHandler, Mailer } from "./mail.ts";
import { MediaService } from "./media.ts";
import { ModerationService } from "./moderation.ts";
import { NotificationDigestService } from "./notification-digest.ts";
import { NotificationService } from "./notifications.ts";
import { OutcomeService } from "./outcomes.ts";
import { PasswordService } from "./password-changes.ts";
import { ProfileService } from "./profiles.ts";
import { PublicationService } from "./publications.ts";
import { ReadingService } from "./reading.ts";
import { RemoteActorService } from "./remote-actors.ts";
import { ReplyService } from "./replies.ts";
import { ReportService } from "./reports.ts";
import { SentActivityService } from "./sent-activities.ts";
import { SessionService } from "./sessions.ts";
import { SetupService } from "./setup.ts";
import { TokenService } from "./tokens.ts";
import { WeeknoteService } from "./weeknotes.ts";

/** Every service, built on one store. Web pages, the API, the CLI and federation all call these. */
export interface Services {
  actors: ActorService;
  weeknotes: WeeknoteService;
  decisions: DecisionService;
  /** What became of each reply to a consultation, told to its author; referrals to other communities. */
  outcomes: OutcomeService;
  tokens: TokenService;
  follows: FollowService;
  /** A local community's people on other servers, and what they publish in it. */
  communityMembers: CommunityMemberService;
  /** Local people's memberships of communities on other servers. */
  membershipsElsewhere: MembershipElsewhereService;
  interactions: InteractionService;
  /** Replies from elsewhere under each community's reply policy: shown, held for approval or refused. */
  replies: ReplyService;
  setup: SetupService;
  sessions: SessionService;
  invitations: InvitationService;
  /** Changing one's password, and one-time links to choose a new one. */
  passwords: PasswordService;
  /** Settings administrators change: the time zone times are shown and entered in. */
  settings: InstanceSettingsService;
  /** People's and communities' profiles, and the Update that tells their followers. */
  profiles: ProfileService;
  /** "Forgot your password?": a reset link emailed to the address a person gave. */
  forgottenPasswords: ForgottenPasswordService;
  /** A person's own email address. */
  accountEmail: AccountEmailService;
  media: MediaService;
  /** What other servers may read of local actors and posts. */
  publications: PublicationService;
  /** What goes out to other servers for each event, and to which followers. */
  deliveries: DeliveryService;
  /** The activities we send, kept so that their ids answer. */
  sentActivities: SentActivityService;
  /** What we keep of other servers' actors. */
  remoteActors: RemoteActorService;
  /** What readers see of weeknotes: the front page, actors' pages, tags, a post with its replies, feeds. */
  reading: ReadingService;
  /** What readers see of decision records: a record's page, the registers, the feeds of changes. */
  decisionReading: DecisionReadingService;
  /** Queue messages that failed too often, for administrators to retry or discard. */
  deadLetters: DeadLetterService;
  /** Hiding and restoring replies, and the log of it. */
  moderation: ModerationService;
  /** Which other servers we deal with: blocked domains, refused on the way in and out. */
  federationPolicy: FederationPolicyService;
  /** Accounts elsewhere blocked by the instance's administrators. */
  accountBlocks: AccountBlockService;
  /** Reports of posts, replies and accounts, from people and from other servers, and what moderators do about them. */
  reports: ReportService;
  /** What a community's moderators decide for it: who may reply, and which accounts elsewhere are blocked from it. */
  communityModeration: CommunityModerationService;
  /** A person's replies to consultations here with their outcomes, and input referred to a community here. */
  inputs: InputService;
  /** What consultations received and what became of it, quarter by quarter, for the public impact pages and their feeds. */
  impact: ImpactService;
  /** What people here are told of (replies, mentions, followers, likes, invitations, outcomes), read and chosen by email. */
  notifications: NotificationService;
  /** The hourly email digest of notifications, for those who chose it. */
  notificationDigest: NotificationDigestService;
}

export interface ServiceOptions {
  /** The instance's name until the operator names it at setup. */
  instanceName?: string;
  /** The instance's public origin, for links in what services write (the notes telling people their input was used). */
  origin?: string;
  /** Where uploaded images go; without it, uploads fail. */
  mediaFiles?: MediaFiles;
  /** The services' clock (tests move it on); Date.now unless given. */
  now?: () => number;
  /** Followers read (and handed on to be sent) at once when an activity goes to all of an actor's followers. */
  followerPageSize?: number;
  /** Whether the instance deals with every domain but the blocked ones (the default), or only the allowed ones. */
  federationMode?: FederationMode;
  /** The queues' dead letters; without it, there are none to see. */
  deadLetters?: DeadLetterTable;
  /** How email leaves (SMTP); without it, no email is sent and links are shown to administrators. */
  mailer?: Mailer | null;
  /** Told of a message that could not be sent (the instance logs it). */
  onMailFailure?: MailFailureHandler;
}

const noDeadLetters: DeadLetterTable = {
  listDead: () => Promise.resolve([]),
  countDeadByOrigin: () => Promise.resolve([]),
  retryDead: () => Promise.resolve(0),
  discardDead: () => Promise.resolve(0),
};

const noMediaFiles: MediaFiles = {
  write: () => Promise.reject(new Error("This process stores no media files.")),
  read: () => Promise.resolve(null),
  delete: () => Promise.resolve(),
};

export function createServices(store: Store, options: ServiceOptions = {}): Services {
  const origin = options.origin ?? "http://localhost";
  const now = options.now ?? (() => Date.now());
  const actors = new ActorService(store, now);
  const membershipsElsewhere = new MembershipElsewhereService(store, actors, origin, now);
  const weeknotes = new WeeknoteService(store, actors, now, membershipsElsewhere);
  const decisions = new DecisionService(store, actors, origin, now);
  const moderation = new ModerationService(store, now, origin);
  const federationPolicy = new FederationPolicyService(store, origin, now, options.federationMode ?? "blocklist");
  const follows = new FollowService(store, actors, federationPolicy, now);
  const communityModeration = new CommunityModerationService(store, origin, now);
  const accountBlocks = new AccountBlockService(store, origin, now);
  const outcomes = new OutcomeService(store, decisions, actors, origin, now);
  const media = new MediaService(store, options.mediaFiles ?? noMediaFiles, now);
  const setup = new SetupService(store, options.instanceName ?? "Connexo", now);
  const passwords = new PasswordService(store, now);
  const mail = {
    mailer: options.mailer ?? null,
    origin,
    instanceName: () => setup.instanceName(),
    onMailFailure: options.onMailFailure ?? (() => {}),
  };
  return {
    actors,
    weeknotes,
    decisions,
    outcomes,
    tokens: new TokenService(store, actors),
    follows,
    communityMembers: new CommunityMemberService(store, actors, origin, now),
    membershipsElsewhere,
    interactions: new InteractionService(store, now, origin, moderation),
    replies: new ReplyService(store, now, moderation, origin),
    setup,
    settings: new InstanceSettingsService(store, now),
    sessions: new SessionService(store, now),
    invitations: new InvitationService(store, now, mail),
    passwords,
    forgottenPasswords: new ForgottenPasswordService(store, passwords, mail.mailer, { ...mail, now }),
    accountEmail: new AccountEmailService(store),
    media,
    profiles: new ProfileService(store, actors, media, now),
    publications: new PublicationService(store),
    deliveries: new DeliveryService(store, { followerPageSize: options.followerPageSize }),
    sentActivities: new SentActivityService(store),
    remoteActors: new RemoteActorService(store),
    reading: new ReadingService(store, actors, weeknotes, origin, moderation),
    decisionReading: new DecisionReadingService(store, decisions, origin, moderation, outcomes),
    deadLetters: new DeadLetterService(options.deadLetters ?? noDeadLetters, now),
    moderation,
    federationPolicy,
    accountBlocks,
    reports: new ReportService(store, origin, now, { moderation, accountBlocks, federationPolicy, communityModeration }),
    communityModeration,
    inputs: new InputService(store, actors, origin),
    impact: new ImpactService(store, origin, now),
    notifications: new NotificationService(store, now, mail.mailer !== null),
    notificationDigest: new NotificationDigestService(store, now, mail.mailer, mail),
  };
}
