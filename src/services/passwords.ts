import { hash, verify } from "@node-rs/argon2";

// Argon2id with the library's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommended minimum.

export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize("NFKC"));
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize("NFKC"));
  } catch {
    // Not an Argon2 hash (or a damaged one): no password matches it.
    return false;
  }
}

let unusedHash: Promise<string> | null = null;

/** A hash to check against when there is no such account, so that the answer takes as long either way. */
export function hashOfNoAccount(): Promise<string> {
  unusedHash ??= hash("no account has this password");
  return unusedHash;
}
