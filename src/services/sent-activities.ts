import type { Store } from "../storage/repositories.ts";

/**
 * The activities this instance sends, kept so that each one's id answers with
 * it (at /activities/{id}). Ids are derived from what the activity is about, so
 * an activity sent again after a crash is kept again under the same id.
 */
export class SentActivityService {
  constructor(private readonly store: Store) {}

  /** Keeps an activity we are about to send (its compact JSON-LD) under its local id. */
  remember(id: string, activity: unknown): Promise<void> {
    return this.store.activities.save(id, activity);
  }

  /** An activity we sent, as we sent it; null if there is none by this id. */
  find(id: string): Promise<unknown | null> {
    return this.store.activities.find(id);
  }
}
