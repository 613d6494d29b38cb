import { isAccountAt, normaliseRemoteAccount } from "../domain/handle.ts";
import type { Store } from "../storage/repositories.ts";

/**
 * The actor URI of an account elsewhere as a moderator typed it: its URL (the
 * actor's id, or the profile page of an actor known here), or the handle of
 * an account already known here (a handle alone cannot be
 * looked up without a request elsewhere, which a form should not wait for).
 * Field errors (under `account`) otherwise, and for an account of this server.
 */
export async function accountElsewhere(store: Store, origin: string, typed: string): Promise<string | { account: string }> {
  const account = normaliseRemoteAccount(typed);
  if (!account) return { account: "give the account's address (a URL starting https://) or its handle as @user@server" };
  if (isAccountAt(account, origin)) {
    return { account: "this is an account of this server: its administrators can deactivate it, or remove it from a community" };
  }
  // A profile page (Mastodon's https://host/@name) stands for the actor whose page it is, if we know it.
  if (!account.startsWith("@")) return (await store.remoteActors.findByAddress(account))?.uri ?? account;
  const known = await store.remoteActors.findByHandle(account);
  if (!known) return { account: `${account} is not known here yet: paste the address of the account's profile (its URL) instead` };
  return known.uri;
}
