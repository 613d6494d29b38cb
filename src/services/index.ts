import type { MediaFiles } from "../storage/media-files.ts";
import type { Store } from "../storage/repositories.ts";
import { ActorService } from "./actors.ts";
import { DecisionService } from "./decisions.ts";
import { FollowService } from "./follows.ts";
import { InteractionService } from "./interactions.ts";
import { InvitationService } from "./invitations.ts";
import { MediaService } from "./media.ts";
import { SessionService } from "./sessions.ts";
import { SetupService } from "./setup.ts";
import { TokenService } from "./tokens.ts";
import { WeeknoteService } from "./weeknotes.ts";

/** Every service, built on one store. Web pages, the API, the CLI and federation all call these. */
export interface Services {
  store: Store;
  actors: ActorService;
  weeknotes: WeeknoteService;
  decisions: DecisionService;
  tokens: TokenService;
  follows: FollowService;
  interactions: InteractionService;
  setup: SetupService;
  sessions: SessionService;
  invitations: InvitationService;
  media: MediaService;
}

export interface ServiceOptions {
  /** The instance's name until the operator names it at setup. */
  instanceName?: string;
  /** The instance's public origin, for links in what services write (the notes telling people their input was used). */
  origin?: string;
  /** Where uploaded images go; without it, uploads fail. */
  mediaFiles?: MediaFiles;
  /** The current time in epoch milliseconds, for the services that measure waits (tests move it on). */
  now?: () => number;
}

const noMediaFiles: MediaFiles = {
  write: () => Promise.reject(new Error("This process stores no media files.")),
  read: () => Promise.resolve(null),
  delete: () => Promise.resolve(),
};

export function createServices(store: Store, options: ServiceOptions = {}): Services {
  const actors = new ActorService(store);
  return {
    store,
    actors,
    weeknotes: new WeeknoteService(store, actors),
    decisions: new DecisionService(store, actors, options.origin ?? "http://localhost"),
    tokens: new TokenService(store, actors),
    follows: new FollowService(store, actors),
    interactions: new InteractionService(store),
    setup: new SetupService(store, options.instanceName ?? "Connexo"),
    sessions: new SessionService(store, options.now ?? Date.now),
    invitations: new InvitationService(store),
    media: new MediaService(store, options.mediaFiles ?? noMediaFiles),
  };
}
