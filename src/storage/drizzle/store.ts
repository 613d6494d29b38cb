import type { Store } from "../repositories.ts";
import { accountBlockRepository } from "./account-block-repository.ts";
import { accountRepository } from "./account-repository.ts";
import { actorRepository } from "./actor-repository.ts";
import { communityBlockRepository } from "./community-block-repository.ts";
import { decisionRepository } from "./decision-repository.ts";
import { domainBlockRepository } from "./domain-block-repository.ts";
import { followRepository } from "./follow-repository.ts";
import { interactionRepository } from "./interaction-repository.ts";
import { inputRepository } from "./input-repository.ts";
import { enqueueEvents } from "./events.ts";
import { mediaRepository } from "./media-repository.ts";
import { membershipRepository } from "./membership-repository.ts";
import { moderationLogRepository } from "./moderation-log-repository.ts";
import { notificationRepository } from "./notification-repository.ts";
import { outcomeRepository } from "./outcome-repository.ts";
import { impactRepository } from "./impact-repository.ts";
import { reportRepository } from "./report-repository.ts";
import { postRepository } from "./post-repository.ts";
import { remoteActorRepository } from "./remote-actor-repository.ts";
import { settingsRepository } from "./settings-repository.ts";
import { activityRepository, tokenRepository } from "./token-repository.ts";
import type { Unit } from "./unit.ts";

/** The Store whose repositories read and write through this unit: the database itself, or one transaction. */
export function storeOn(unit: Unit): Store {
  const store: Store = {
    actors: actorRepository(unit),
    remoteActors: remoteActorRepository(unit),
    follows: followRepository(unit),
    posts: postRepository(unit),
    decisions: decisionRepository(unit),
    interactions: interactionRepository(unit),
    tokens: tokenRepository(unit),
    activities: activityRepository(unit),
    settings: settingsRepository(unit),
    accounts: accountRepository(unit),
    media: mediaRepository(unit),
    memberships: membershipRepository(unit),
    moderationLog: moderationLogRepository(unit),
    domainBlocks: domainBlockRepository(unit),
    accountBlocks: accountBlockRepository(unit),
    communityBlocks: communityBlockRepository(unit),
    reports: reportRepository(unit),
    outcomes: outcomeRepository(unit),
    impact: impactRepository(unit),
    inputs: inputRepository(unit),
    notifications: notificationRepository(unit),
    events: { record: (events) => unit.transaction((tx) => enqueueEvents(tx, events)) },
    transaction: (work) => unit.transaction((tx) => work(tx === unit ? store : storeOn(tx))),
    ...(unit.commitVersion ? { commitVersion: unit.commitVersion } : {}),
  };
  return store;
}
