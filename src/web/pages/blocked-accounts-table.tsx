import { remoteNameOf, remotePageOf } from "../../domain/remote-actor-names.ts";
import type { RemoteActor } from "../../domain/types.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, DateText, RemoteLink } from "./components.tsx";

/** A blocked account as the table shows it: its actor URI, and the account as known here, if it is. */
export interface BlockedAccountRow {
  uri: string;
  account: RemoteActor | null;
  reason: string;
  createdAt: Date;
}

/**
 * Blocked accounts (the instance's, or a community's), each with why, when,
 * and a button that posts its URI as `account` to `unblockAction`.
 */
export function BlockedAccountsTable(props: { ctx: PageContext; labelledBy: string; unblockAction: string; rows: BlockedAccountRow[] }) {
  return (
    <div class="table-scroll">
      <table aria-labelledby={props.labelledBy}>
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Reason</th>
            <th scope="col">Blocked</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const name = row.account ? remoteNameOf(row.account) : row.uri;
            return (
              <tr>
                <td>
                  <RemoteLink href={row.account ? remotePageOf(row.account) : row.uri}>{name}</RemoteLink>
                  {row.account?.handle && row.account.handle !== name ? <span class="secondary"> {row.account.handle}</span> : null}
                </td>
                <td>{row.reason}</td>
                <td>
                  <DateText date={row.createdAt} />
                </td>
                <td>
                  <form method="post" action={props.unblockAction}>
                    <CsrfField token={props.ctx.csrfToken} />
                    <input type="hidden" name="account" value={row.uri} />
                    <button type="submit" class="button button-secondary">
                      Unblock<span class="visually-hidden"> {name}</span>
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
