import type { Neighbours } from "../../domain/paging.ts";

/**
 * "Newer" and "Older" links under a paged list. `path` is the page's own
 * address with any query it keeps (say `?as=team`); `prefix` names the
 * parameters when a page has more than one list (`followers-before`).
 */
export function PagingLinks({ pages, path, label, prefix = "" }: { pages: Neighbours; path: string; label: string; prefix?: string }) {
  if (!pages.older && !pages.newer) return null;
  const link = (name: "before" | "after", position: string) => {
    const url = new URL(path, "http://here");
    url.searchParams.set(`${prefix}${name}`, position);
    return url.pathname + url.search;
  };
  return (
    <nav class="paging" aria-label={label}>
      {pages.newer ? (
        <a href={link("after", pages.newer)} rel="prev">
          ← Newer
        </a>
      ) : null}
      {pages.older ? (
        <a href={link("before", pages.older)} rel="next">
          Older →
        </a>
      ) : null}
    </nav>
  );
}
