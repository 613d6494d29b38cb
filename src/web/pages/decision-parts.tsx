import { STATUS_LABELS, type DecisionStatus } from "../../domain/decisions.ts";

/**
 * A record's status as words in a labelled box: the words carry the meaning,
 * the colour only repeats it (each status has its own class in style.css).
 */
export function StatusTag({ status }: { status: DecisionStatus }) {
  return <strong class={`status status-${status}`}>{STATUS_LABELS[status]}</strong>;
}
