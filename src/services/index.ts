import type { Store } from "../storage/repositories.ts";
import { ActorService } from "./actors.ts";
import { FollowService } from "./follows.ts";
import { InteractionService } from "./interactions.ts";
import { TokenService } from "./tokens.ts";
import { WeeknoteService } from "./weeknotes.ts";

/** Every service, built on one store. Web pages, the API, the CLI and federation all call these. */
export interface Services {
  store: Store;
  actors: ActorService;
  weeknotes: WeeknoteService;
  tokens: TokenService;
  follows: FollowService;
  interactions: InteractionService;
}

export function createServices(store: Store): Services {
  const actors = new ActorService(store);
  return {
    store,
    actors,
    weeknotes: new WeeknoteService(store, actors),
    tokens: new TokenService(store, actors),
    follows: new FollowService(store, actors),
    interactions: new InteractionService(store),
  };
}
