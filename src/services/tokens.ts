import type { Actor } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import type { ActorService } from "./actors.ts";
import { hashOfSecret, randomSecret } from "./secrets.ts";

/** API tokens: shown once, stored only as a hash. */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly actors: ActorService,
  ) {}

  async issue(personHandle: string, label = "api"): Promise<string> {
    const person = await this.actors.require(personHandle, "person");
    const token = `cnx_${randomSecret(32)}`;
    await this.store.tokens.create(person.id, hashOfSecret(token), label);
    return token;
  }

  async authenticate(token: string): Promise<Actor | null> {
    if (!token.startsWith("cnx_")) return null;
    return this.store.tokens.findPerson(hashOfSecret(token));
  }
}
