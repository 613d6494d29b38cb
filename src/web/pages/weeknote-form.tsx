import type { Media } from "../../domain/types.ts";
import { mediaPath, postEditPath } from "../../domain/urls.ts";
import type { PageContext } from "./context.ts";
import { CsrfField, describedBy, ErrorSummary, Field, TextArea, TextInput, type FieldErrors } from "./components.tsx";

/** How many new images one submission of the form can carry. */
export const IMAGE_SLOTS = 3;

const ACCEPTED_IMAGE_TYPES = "image/jpeg,image/png,image/webp,image/gif";

/** Field names of the new-image slots, numbered from 1 as people see them. */
export const slotFile = (slot: number) => `image-${slot}`;
export const slotAlt = (slot: number) => `image-${slot}-alt`;

/** What the form shows: the text as typed, and the images kept so far. */
export interface WeeknoteFormValues {
  community: string;
  title: string;
  week: string;
  summary: string;
  body: string;
  tags: string;
  /** Images already uploaded (or attached), in order; carried as hidden fields so that a re-shown form keeps them. */
  images: Media[];
  /** The description typed in each new-image slot (the file itself cannot be kept by a browser). */
  slotAlts: string[];
}

export type SubmitAction = "preview" | "draft" | "publish" | "save";

/** A community a new weeknote can go to: its handle (here) or URI (on another server), and how the list names it. */
export interface CommunityChoice {
  value: string;
  label: string;
  elsewhere: boolean;
}

/** Where the weeknote goes: a community chosen from a list, or (editing) the one it is in. */
export type FormTarget =
  | { kind: "new"; communities: CommunityChoice[] }
  | { kind: "edit"; postId: string; communityName: string | null; isDraft: boolean };

const LABELS: Record<string, string> = {
  community: "Community",
  title: "Title",
  week: "Week",
  summary: "Summary",
  body: "Body",
  tags: "Tags",
  images: "Images",
  ...Object.fromEntries(
    Array.from({ length: IMAGE_SLOTS }, (_, i) => [
      [slotFile(i + 1), `Image ${i + 1}`],
      [slotAlt(i + 1), `Description of image ${i + 1}`],
    ]).flat(),
  ),
};

/** The weeknote form, for writing a new one and for editing: text, images and the buttons that fit. */
export function WeeknoteForm(props: { ctx: PageContext; target: FormTarget; values: WeeknoteFormValues; errors: FieldErrors }) {
  const { ctx, target, values, errors } = props;
  const action = target.kind === "new" ? "/compose" : postEditPath(target.postId);
  return (
    <form method="post" action={action} enctype="multipart/form-data" novalidate>
      <ErrorSummary errors={errors} labels={LABELS} />
      <CsrfField token={ctx.csrfToken} />
      {target.kind === "new" ? (
        <CommunitySelect communities={target.communities} value={values.community} error={errors.community} />
      ) : target.communityName ? (
        <p>
          Community: <strong>{target.communityName}</strong>
        </p>
      ) : null}
      <TextInput name="title" label="Title" value={values.title} error={errors.title} required />
      <TextInput
        name="week"
        label="Week"
        hint="The ISO week it is about, like 2026-W48."
        value={values.week}
        error={errors.week}
        narrow
        spellcheck={false}
      />
      <TextArea
        name="summary"
        label="Summary"
        hint="This is what Mastodon users see: the title and this summary, with a link here. Make it stand on its own, in a sentence or two."
        value={values.summary}
        error={errors.summary}
        rows={3}
        required
      />
      <TextArea
        name="body"
        label="Body"
        hint="Markdown: **bold**, _italic_, [a link](https://example.org), a blank line between paragraphs, lines starting with - for a list, ## for a heading."
        value={values.body}
        error={errors.body}
        rows={16}
        required
      />
      <TextInput
        name="tags"
        label="Tags"
        hint="Single words, separated by commas or spaces, like: consultation, OpenWork"
        value={values.tags}
        error={errors.tags}
      />
      <ImageFields values={values} errors={errors} />
      <Buttons target={target} />
    </form>
  );
}

function CommunitySelect(props: { communities: CommunityChoice[]; value: string; error?: string }) {
  const hint = "Where the weeknote is published. Its followers get it.";
  const here = props.communities.filter((c) => !c.elsewhere);
  const elsewhere = props.communities.filter((c) => c.elsewhere);
  const options = (choices: CommunityChoice[]) =>
    choices.map((c) => (
      <option value={c.value} selected={c.value === props.value}>
        {c.label}
      </option>
    ));
  return (
    <Field name="community" label="Community" hint={hint} error={props.error}>
      <select
        id="community"
        name="community"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy("community", hint, props.error)}
      >
        {/* Grouped only when there is something to tell apart: communities here, and those on other servers. */}
        {elsewhere.length === 0 ? (
          options(here)
        ) : (
          <>
            {here.length > 0 ? <optgroup label="On this server">{options(here)}</optgroup> : null}
            <optgroup label="On other servers">{options(elsewhere)}</optgroup>
          </>
        )}
      </select>
    </Field>
  );
}

function ImageFields({ values, errors }: { values: WeeknoteFormValues; errors: FieldErrors }) {
  return (
    <fieldset id="images" aria-describedby={errors.images ? "images-hint images-error" : "images-hint"}>
      <legend>
        <h2>Images</h2>
      </legend>
      <span class="hint" id="images-hint">
        Optional. JPEG, PNG, WebP or GIF, up to 10 MB each, {IMAGE_SLOTS} at a time. Large images are made smaller, and camera and location
        details are removed.
      </span>
      {errors.images ? (
        <span class="field-error" id="images-error">
          <span class="visually-hidden">Error: </span>
          {errors.images === "upload again" ? "One of the images is no longer available: upload it again." : errors.images}
        </span>
      ) : null}
      {values.images.length > 0 ? <KeptImages images={values.images} /> : null}
      {Array.from({ length: IMAGE_SLOTS }, (_, i) => (
        <ImageSlot slot={i + 1} alt={values.slotAlts[i] ?? ""} errors={errors} />
      ))}
    </fieldset>
  );
}

/** Images already uploaded: each is sent again as a hidden field unless "Remove" is ticked. */
function KeptImages({ images }: { images: Media[] }) {
  return (
    <ul class="kept-images">
      {images.map((image, i) => (
        <li>
          <input type="hidden" name="images" value={image.id} />
          {/* The description is shown next to the thumbnail, so the image itself need not repeat it. */}
          <img src={mediaPath(image.fileName)} alt="" width={image.width} height={image.height} />
          <div>
            <p>
              <span class="visually-hidden">Attached image {i + 1}. </span>Description: {image.alt}
            </p>
            <div class="checkbox">
              <input type="checkbox" id={`remove-${image.id}`} name="remove" value={image.id} />
              <label for={`remove-${image.id}`}>Remove image {i + 1}</label>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

function ImageSlot({ slot, alt, errors }: { slot: number; alt: string; errors: FieldErrors }) {
  const file = slotFile(slot);
  const fileError = errors[file];
  return (
    <div class="image-slot">
      <Field name={file} label={`Image ${slot}`} error={fileError}>
        <input
          type="file"
          id={file}
          name={file}
          accept={ACCEPTED_IMAGE_TYPES}
          aria-invalid={fileError ? "true" : undefined}
          aria-describedby={describedBy(file, undefined, fileError)}
        />
      </Field>
      <TextInput
        name={slotAlt(slot)}
        label={`Description of image ${slot} (alt text)`}
        hint="Required when you choose a file: describe what the image shows, for people who cannot see it."
        value={alt}
        error={errors[slotAlt(slot)]}
      />
    </div>
  );
}

function Buttons({ target }: { target: FormTarget }) {
  // Preview comes first: it is what pressing Enter in a field does, and it saves nothing.
  return (
    <div class="button-group">
      <button type="submit" name="action" value="preview" class="button button-secondary">
        Preview
      </button>
      {target.kind === "new" ? (
        <>
          <button type="submit" name="action" value="draft" class="button button-secondary">
            Save as draft
          </button>
          <button type="submit" name="action" value="publish" class="button">
            Publish
          </button>
        </>
      ) : (
        <>
          <button type="submit" name="action" value="save" class={target.isDraft ? "button button-secondary" : "button"}>
            {target.isDraft ? "Save draft" : "Save changes"}
          </button>
          {target.isDraft ? (
            <button type="submit" name="action" value="publish" class="button">
              Publish
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}
