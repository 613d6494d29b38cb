import type BetterSqlite3 from "better-sqlite3";

/**
 * Makes a connection's `prepare` hand back the statement it compiled before
 * for the same SQL. Drizzle prepares every query it runs afresh, and on the
 * hot paths (the inbox, the pages) compiling took as long as running. The
 * cache keeps the most recently used `limit` statements: SQL that differs in
 * the number of its parameters (`in (?, ?, …)`) cannot grow it without bound.
 *
 * A statement is one object however often it is handed out, so its output
 * mode (raw rows, plucked first column, expanded tables) is set back to plain
 * rows each time: whoever asks for a mode sets it after preparing, as Drizzle
 * does. Nothing here iterates a statement lazily, so none is busy when handed
 * out again.
 */
export function cacheStatements(connection: BetterSqlite3.Database, limit = 500): void {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, BetterSqlite3.Statement>();
  connection.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (statement) {
      // Most recently used last: Map keeps insertion order.
      cache.delete(sql);
      if (statement.reader) statement.raw(false).pluck(false).expand(false);
    } else {
      statement = prepare(sql);
      if (cache.size >= limit) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  }) as typeof connection.prepare;
}
