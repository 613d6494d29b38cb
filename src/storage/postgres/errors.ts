/**
 * Whether a query failed on a unique constraint (SQLSTATE 23505), optionally
 * a particular one. drizzle wraps driver errors, so the cause chain is searched.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e = error as { code?: unknown; constraint?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return constraint === undefined || e.constraint === constraint;
  }
  return false;
}
