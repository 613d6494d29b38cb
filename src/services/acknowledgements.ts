import type { InformedBy } from "../domain/decisions.ts";
import { escapeHtml } from "../domain/sanitize.ts";
import type { Actor, Post } from "../domain/types.ts";
import type { Store } from "../storage/repositories.ts";
import { newNote } from "./new-post.ts";

/**
 * "You said, we did": for each reply from elsewhere newly cited by a record,
 * a public note from the community that mentions the reply's author, answers
 * their reply, says how it was used and links the record. Marks each input
 * with the note made for it, so that no one is thanked twice.
 */
export async function acknowledgementNotes(
  store: Store,
  record: { post: Post; url: string; community: Actor },
  inputs: InformedBy[],
  before: InformedBy[],
  now: Date,
): Promise<Post[]> {
  const notes: Post[] = [];
  for (const input of inputs) {
    if (input.acknowledgementId || before.some((b) => b.uri === input.uri && b.acknowledgementId)) continue;
    const reply = await store.interactions.findReplyByUri(input.uri);
    if (!reply?.author || reply.postId !== record.post.id) continue;
    const name = reply.author.handle?.replace(/^@/, "").split("@")[0] || reply.author.name || "you";
    const mention = `<span class="h-card"><a href="${escapeHtml(reply.author.url ?? reply.author.uri)}" class="u-url mention">@<span>${escapeHtml(name)}</span></a></span>`;
    const body = `Thank you: your reply informed the decision record “${record.post.title}”. How we used it: ${input.note}`;
    const note = newNote(
      {
        authorId: record.community.id,
        inReplyTo: reply.uri,
        bodyMarkdown: `${body}\n\n${record.url}`,
        contentHtml: `<p>${mention} ${escapeHtml(body)}</p><p><a href="${escapeHtml(record.url)}">${escapeHtml(record.url)}</a></p>`,
      },
      now,
    );
    input.acknowledgementId = note.id;
    notes.push(note);
  }
  return notes;
}
