/**
 * The sentences confirming what a form did, by the `?done=` word it
 * redirects with. Own keys only: `?done=toString` must not find Object's methods.
 */
const notice = (messages: Record<string, string>) => (done: string | undefined) =>
  done && Object.hasOwn(messages, done) ? messages[done] : undefined;

/** On the drafts page, after saving or deleting one. */
export const draftsNotice = notice({
  saved: "Your draft is saved. Only you can see it until you publish it.",
  "saved-decision": "Your draft decision record is saved. Only you can see it until you propose it.",
  deleted: "The draft is deleted.",
});

/** On a weeknote's page, after publishing it or saving changes to it. */
export const weeknoteNotice = notice({
  published: "Your weeknote is published.",
  saved: "Your changes are saved and sent to those who follow it.",
});

/** After deleting a published weeknote, on the page it was in. */
export const DELETED_NOTICE = "The weeknote is deleted, here and on the servers that received it.";
