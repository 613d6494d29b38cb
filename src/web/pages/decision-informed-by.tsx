import { raw } from "hono/html";
import type { InformedBy } from "../../domain/decisions.ts";
import type { CitableReply } from "../../services/decisions.ts";
import { DateText, RemoteLink, sentence, TextArea, TextInput } from "./components.tsx";

/** Free slots for posts from anywhere, beyond those already cited. */
export const OTHER_POST_SLOTS = 3;

/** Field names of the other-post slots, numbered from 1 as people see them. */
export const otherUrl = (slot: number) => `other-${slot}-url`;
export const otherNote = (slot: number) => `other-${slot}-note`;
/** Each reply's note is named by the reply, so that replies arriving meanwhile cannot shift them. */
export const replyNote = (uri: string) => `note:${uri}`;

/** The "informed by" list as the form holds it. */
export interface InformedByValues {
  /** The replies ticked, by URI. */
  cited: string[];
  /** The note typed against each reply (ticked or not, so that nothing typed is lost), by URI. */
  notes: Record<string, string>;
  /** Other posts, by address, each with its note. */
  others: { uri: string; note: string }[];
}

/** The form's values for what a record already cites: its replies ticked, anything else in the other-post slots. */
export function informedByValues(entries: InformedBy[], replies: CitableReply[]): InformedByValues {
  const replyUris = new Set(replies.map((r) => r.uri));
  const cited = entries.filter((e) => replyUris.has(e.uri));
  return {
    cited: cited.map((e) => e.uri),
    notes: Object.fromEntries(cited.map((e) => [e.uri, e.note])),
    others: entries.filter((e) => !replyUris.has(e.uri)).map((e) => ({ uri: e.uri, note: e.note })),
  };
}

/** What the service is given: the ticked replies with their notes, then the other posts. */
export const informedByInput = (values: InformedByValues) => [
  ...values.cited.map((uri) => ({ uri, note: values.notes[uri] ?? "" })),
  ...values.others,
];

/**
 * The replies the record received, each to tick with a note of how it was
 * used, and slots for posts from anywhere else.
 */
export function InformedByFields({ replies, values, error }: { replies: CitableReply[]; values: InformedByValues; error?: string }) {
  const slots = [...values.others, ...Array.from({ length: OTHER_POST_SLOTS }, () => ({ uri: "", note: "" }))];
  return (
    <section id="informedBy" aria-labelledby="informed-by-title">
      <h2 id="informed-by-title">What informed the decision</h2>
      <p class="hint">
        Tick each reply that shaped the decision, and say how. Citing a reply from someone on another server sends them a public reply from
        the community that mentions them, links this record and says how their input was used.
      </p>
      {error ? (
        <p class="field-error">
          <span class="visually-hidden">Error: </span>
          {sentence(error)}
        </p>
      ) : null}
      <h3>Replies to this record</h3>
      {replies.length === 0 ? (
        <p class="secondary">No replies yet.</p>
      ) : (
        replies.map((reply, i) => <CitedReply reply={reply} index={i + 1} values={values} />)
      )}
      <h3>Other posts</h3>
      <p class="hint">
        Posts anywhere on the web or the fediverse: give each one's address and how it informed the decision. Leave a slot empty to skip it.
      </p>
      {slots.map((post, i) => (
        <fieldset class="decision-slot">
          <legend>Other post {i + 1}</legend>
          <TextInput name={otherUrl(i + 1)} label="Web address" type="url" value={post.uri} spellcheck={false} />
          <TextArea name={otherNote(i + 1)} label="How it informed the decision" value={post.note} rows={3} />
        </fieldset>
      ))}
    </section>
  );
}

function CitedReply({ reply, index, values }: { reply: CitableReply; index: number; values: InformedByValues }) {
  const checkbox = `reply-${index}-cite`;
  return (
    <fieldset class="decision-slot cited-reply">
      <legend>
        Reply from {reply.authorName}, <DateText date={reply.publishedAt} />
      </legend>
      {/* Sanitised when it was stored, like every reply shown on a page. */}
      <blockquote class="prose">{raw(reply.contentHtml)}</blockquote>
      {reply.url ? (
        <p>
          <RemoteLink href={reply.url}>See {reply.authorName}’s reply where it was posted</RemoteLink>
        </p>
      ) : null}
      <div class="checkbox">
        <input type="checkbox" id={checkbox} name="cite" value={reply.uri} checked={values.cited.includes(reply.uri)} />
        <label for={checkbox}>This informed the decision</label>
      </div>
      <TextArea
        name={replyNote(reply.uri)}
        id={`reply-${index}-note`}
        label="How it informed the decision"
        value={values.notes[reply.uri] ?? ""}
        rows={3}
      />
    </fieldset>
  );
}
