import type { RemoteActorInput } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";

/** The actors of other servers that we keep a record of: followers, people we follow, those who reply and react. */
export class RemoteActorService {
  constructor(private readonly store: Store) {}

  /** What we keep of a remote actor we already know, so it need not be fetched again; null for one we do not know. */
  async known(uri: string): Promise<RemoteActorInput | null> {
    const actor = await this.store.remoteActors.findByUri(uri);
    if (!actor) return null;
    const { id: _id, ...record } = actor;
    return record;
  }

  /**
   * A remote actor changed their profile: refresh what we keep of them, only
   * if we keep anything (a stranger's profile is none of our business).
   * Returns whether it did.
   */
  async refreshProfile(actor: RemoteActorInput): Promise<boolean> {
    if (!(await this.store.remoteActors.findByUri(actor.uri))) return false;
    await this.store.remoteActors.upsert(actor);
    return true;
  }
}
