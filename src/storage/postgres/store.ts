import type { Store } from "../repositories.ts";
import { PostgresAccountRepository } from "./account-repository.ts";
import { PostgresActorRepository } from "./actor-repository.ts";
import { PostgresDecisionRepository } from "./decision-repository.ts";
import type { PostgresDatabase } from "./database.ts";
import { PostgresFollowRepository } from "./follow-repository.ts";
import { PostgresInteractionRepository } from "./interaction-repository.ts";
import { PostgresMediaRepository } from "./media-repository.ts";
import { PostgresPostRepository } from "./post-repository.ts";
import { PostgresRemoteActorRepository } from "./remote-actor-repository.ts";
import { PostgresSettingsRepository } from "./settings-repository.ts";
import { PostgresActivityRepository, PostgresTokenRepository } from "./token-repository.ts";

/** The Store on PostgreSQL. Events are enqueued in the same transactions, which NOTIFY on commit. */
export function createPostgresStore({ db }: PostgresDatabase): Store {
  return {
    actors: new PostgresActorRepository(db),
    remoteActors: new PostgresRemoteActorRepository(db),
    follows: new PostgresFollowRepository(db),
    posts: new PostgresPostRepository(db),
    decisions: new PostgresDecisionRepository(db),
    interactions: new PostgresInteractionRepository(db),
    tokens: new PostgresTokenRepository(db),
    activities: new PostgresActivityRepository(db),
    settings: new PostgresSettingsRepository(db),
    accounts: new PostgresAccountRepository(db),
    media: new PostgresMediaRepository(db),
  };
}
