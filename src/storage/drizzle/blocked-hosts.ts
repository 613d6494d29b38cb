import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * Whether an address (a column or expression holding an http(s) URL) is on a
 * blocked domain or one of its subdomains, with or without a port: true,
 * false, or null for no address. Read in the same query as the rows it
 * filters, so that what a blocked domain sent is hidden while the block
 * lasts and is back as soon as it is lifted, and a page costs no more
 * queries. (The host is matched with LIKE, the domain's `_` escaped.)
 */
export function onBlockedDomain(address: AnyColumn | SQL): SQL {
  const rest = sql`replace(replace(${address}, 'https://', ''), 'http://', '')`;
  // A domain may hold `_`, which LIKE would take for any one character: it is escaped (domains hold no `%` or `\`).
  const domain = sql.raw(String.raw`replace(bd.domain, '_', '\_')`);
  const like = (pattern: SQL) => sql`${rest} like ${pattern} escape '\\'`;
  return sql`exists (select 1 from blocked_domains bd where ${like(sql`${domain} || '/%'`)} or ${like(sql`${domain} || ':%'`)} or ${like(sql`'%.' || ${domain} || '/%'`)} or ${like(sql`'%.' || ${domain} || ':%'`)})`;
}

/** Whether an address is on no blocked domain (no address at all is on none). */
export function notOnBlockedDomain(address: AnyColumn | SQL): SQL {
  return sql`(${address} is null or not ${onBlockedDomain(address)})`;
}

/** Whether the remote actor with this id (a column; null for none) is neither on a blocked domain nor blocked itself. */
export function authorNotBlocked(remoteActorId: AnyColumn): SQL {
  return sql`(${remoteActorId} is null or not exists (select 1 from remote_actors ra where ra.id = ${remoteActorId} and (${onBlockedDomain(sql.raw("ra.uri"))} or exists (select 1 from blocked_actors ba where ba.uri = ra.uri))))`;
}

/** Whether an actor's URI (a column) is not an account the instance blocked. */
export function notBlockedAccount(actorUri: AnyColumn | SQL): SQL {
  return sql`not exists (select 1 from blocked_actors ba where ba.uri = ${actorUri})`;
}
