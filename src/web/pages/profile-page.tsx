import type { Actor } from "../../domain/types.ts";
import { actorPath } from "../../domain/urls.ts";
import { PROFILE_LIMITS } from "../../services/profiles.ts";
import { CsrfField, describedBy, ErrorSummary, Field, type FieldErrors, Notice, sentence, TextArea, TextInput } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";

/** What the form shows: the profile as it stands, or as it was sent back with problems. */
export interface ProfileValues {
  displayName: string;
  summary: string;
  jobTitle: string;
  description: string;
  links: { name: string; url: string }[];
  avatarAlt: string;
  removeAvatar: boolean;
}

export function profileValues(actor: Actor): ProfileValues {
  return {
    displayName: actor.displayName,
    summary: actor.summary,
    jobTitle: actor.jobTitle ?? "",
    description: actor.description,
    links: actor.profileLinks,
    avatarAlt: actor.avatarAlt,
    removeAvatar: false,
  };
}

const ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif";

/**
 * Editing a profile: a person's own, or a community's by its administrators.
 * What it says here is what Mastodon shows: the name, the bio or purpose,
 * the picture, and profile fields (a job title, links).
 */
export function ProfilePage(props: {
  ctx: PageContext;
  actor: Actor;
  action: string;
  values: ProfileValues;
  errors?: FieldErrors;
  notice?: string;
}) {
  const { ctx, actor, values } = props;
  const errors = props.errors ?? {};
  const person = actor.kind === "person";
  const title = person ? "Your profile" : `The profile of ${actor.displayName}`;
  const picture = person ? "picture" : "icon";
  const links = [...values.links, ...Array(Math.max(0, PROFILE_LIMITS.links - values.links.length)).fill({ name: "", url: "" })].slice(
    0,
    PROFILE_LIMITS.links,
  );
  const labels = {
    displayName: person ? "Display name" : "Name",
    summary: person ? "Bio" : "Purpose",
    jobTitle: "Job title",
    description: "Description",
    links: "Links",
    avatar: person ? "Picture" : "Icon",
    avatarAlt: `Description of the ${picture}`,
  };
  return (
    <Layout ctx={ctx} title={Object.keys(errors).length > 0 ? `Error: ${title}` : title}>
      <p class="back-link">
        <a href={actorPath(actor.handle)}>Back to {person ? "your page" : actor.displayName}</a>
      </p>
      <h1>{title}</h1>
      <Notice message={props.notice} />
      <p>
        People here and on other servers (Mastodon among them) see this on {person ? "your" : "the community's"} page and profile. Saving
        sends the change to every follower.
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={props.action} enctype="multipart/form-data" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextInput name="displayName" label={labels.displayName} value={values.displayName} error={errors.displayName} required />
        {person ? (
          <TextInput
            name="jobTitle"
            label={labels.jobTitle}
            value={values.jobTitle}
            error={errors.jobTitle}
            hint="Shown as a profile field."
          />
        ) : null}
        <TextArea
          name="summary"
          label={labels.summary}
          rows={4}
          value={values.summary}
          error={errors.summary}
          hint={person ? "A few words about you and your work. Markdown works." : "What the community is for, in a sentence or two."}
        />
        {person ? null : (
          <TextArea
            name="description"
            label={labels.description}
            rows={8}
            value={values.description}
            error={errors.description}
            hint="More about the community: how it works, who may join. Markdown works."
          />
        )}
        <fieldset id="links" aria-describedby={errors.links ? "links-error" : "links-hint"}>
          <legend>{labels.links}</legend>
          <span class="hint" id="links-hint">
            Up to {PROFILE_LIMITS.links}, each with a short name: {person ? "your pages elsewhere" : "the community's documents and pages"}.
          </span>
          {errors.links ? (
            <span class="field-error" id="links-error">
              <span class="visually-hidden">Error: </span>
              {sentence(errors.links)}
            </span>
          ) : null}
          {links.map((link, i) => (
            <div class="profile-link">
              <TextInput name={`linkName${i}`} label={`Link ${i + 1}: name`} value={link.name} />
              <TextInput name={`linkUrl${i}`} label={`Link ${i + 1}: address`} type="url" value={link.url} />
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{labels.avatar}</legend>
          {actor.avatarUrl ? (
            <div class="profile-picture">
              <img src={actor.avatarUrl} alt={actor.avatarAlt} width={96} height={96} />
              <div class="checkbox">
                <input type="checkbox" id="removeAvatar" name="removeAvatar" value="1" checked={values.removeAvatar} />
                <label for="removeAvatar">Remove the {picture}</label>
              </div>
            </div>
          ) : null}
          <Field
            name="avatar"
            label={actor.avatarUrl ? `A new ${picture}` : `Choose a ${picture}`}
            hint="JPEG, PNG, WebP or GIF, up to 10 MB; it is cropped to a square. If the form has a problem, choose the file again: files are not kept."
            error={errors.avatar}
          >
            <input
              type="file"
              id="avatar"
              name="avatar"
              accept={ACCEPTED_IMAGE_TYPES}
              aria-invalid={errors.avatar ? "true" : undefined}
              aria-describedby={describedBy("avatar", "hint", errors.avatar)}
            />
          </Field>
          <TextInput
            name="avatarAlt"
            label={labels.avatarAlt}
            value={values.avatarAlt}
            error={errors.avatarAlt}
            hint={`Required with a ${picture}: what it shows, for people who cannot see it.`}
          />
        </fieldset>
        <button type="submit" class="button">
          Save the profile
        </button>
      </form>
    </Layout>
  );
}
