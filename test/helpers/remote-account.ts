import type { RemoteActorInput } from "../../src/domain/types.ts";

/** A person on another server, as the inbox would record them: `@name@host`, named "name Elsewhere". */
export const remoteAccount = (name: string, host = "elsewhere.example"): RemoteActorInput => ({
  uri: `https://${host}/users/${name}`,
  type: "Person",
  handle: `@${name}@${host}`,
  name: `${name} Elsewhere`,
  url: `https://${host}/@${name}`,
  iconUrl: null,
  inbox: `https://${host}/users/${name}/inbox`,
  sharedInbox: null,
});
