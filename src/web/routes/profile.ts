import type { Context } from "hono";
import type { Actor } from "../../domain/types.ts";
import { PROFILE_LIMITS, type ProfileInput } from "../../services/profiles.ts";
import type { ProfileValues } from "../pages/profile-page.tsx";
import { bodyText, type FormBody } from "./forms.ts";

/** What a profile form sent, as the page shows it again and as the service takes it. */
export async function readProfileForm(body: FormBody, actor: Actor): Promise<{ values: ProfileValues; input: ProfileInput }> {
  const links = Array.from({ length: PROFILE_LIMITS.links }, (_, i) => ({
    name: bodyText(body, `linkName${i}`),
    url: bodyText(body, `linkUrl${i}`),
  }));
  const file = [body.avatar ?? []].flat().find((v): v is File => v instanceof File && v.size > 0) ?? null;
  const values: ProfileValues = {
    displayName: bodyText(body, "displayName"),
    summary: bodyText(body, "summary"),
    jobTitle: bodyText(body, "jobTitle"),
    description: bodyText(body, "description"),
    links: links.filter((l) => l.name.trim() || l.url.trim()),
    avatarAlt: bodyText(body, "avatarAlt"),
    removeAvatar: bodyText(body, "removeAvatar") === "1",
  };
  const input: ProfileInput = {
    ...values,
    jobTitle: actor.kind === "person" ? values.jobTitle : undefined,
    links,
    avatar: file ? new Uint8Array(await file.arrayBuffer()) : null,
  };
  return { values, input };
}

/** The confirmation after a profile is saved (`?done=saved`). */
export const savedNotice = (c: Context) =>
  c.req.query("done") === "saved" ? "The profile is saved and sent to your followers." : undefined;
