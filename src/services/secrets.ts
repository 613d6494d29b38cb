import { createHash, randomBytes } from "node:crypto";

/**
 * Secrets handed out once (in a link, a cookie, a token) and kept only as a
 * hash, so that a copy of the database lets no one in.
 */
export const randomSecret = (bytes = 24): string => randomBytes(bytes).toString("base64url");

export const hashOfSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");
