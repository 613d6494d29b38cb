import type { Store } from "../repositories.ts";
import { SqliteAccountRepository } from "./account-repository.ts";
import { SqliteDecisionRepository } from "./decision-repository.ts";
import { SqliteActorRepository } from "./actor-repository.ts";
import type { SqliteDatabase } from "./database.ts";
import { SqliteFollowRepository } from "./follow-repository.ts";
import { SqliteInteractionRepository } from "./interaction-repository.ts";
import { SqliteMediaRepository } from "./media-repository.ts";
import { SqlitePostRepository } from "./post-repository.ts";
import { SqliteRemoteActorRepository } from "./remote-actor-repository.ts";
import { SqliteSettingsRepository } from "./settings-repository.ts";
import { SqliteActivityRepository, SqliteTokenRepository } from "./token-repository.ts";

/** The Store on SQLite. */
export function createSqliteStore({ db, signal }: SqliteDatabase): Store {
  return {
    actors: new SqliteActorRepository(db),
    remoteActors: new SqliteRemoteActorRepository(db),
    follows: new SqliteFollowRepository(db, signal),
    posts: new SqlitePostRepository(db, signal),
    decisions: new SqliteDecisionRepository(db, signal),
    interactions: new SqliteInteractionRepository(db, signal),
    tokens: new SqliteTokenRepository(db),
    activities: new SqliteActivityRepository(db),
    settings: new SqliteSettingsRepository(db),
    accounts: new SqliteAccountRepository(db),
    media: new SqliteMediaRepository(db),
  };
}
