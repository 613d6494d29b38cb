import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** API tokens: shown once, stored only as a hash. */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
  ) {}

  async issue(personHandle: string, label = "api"): Promise<string> {
    const person = await this.actors.require(personHandle, "person");
    const token = `cnx_${randomBytes(32).toString("base64url")}`;
    await this.store.tokens.create(person.id, sha256(token), label);
    return token;
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!token.startsWith("cnx_")) return null;
    return this.store.tokens.findPerson(sha256(token));
  }
}
