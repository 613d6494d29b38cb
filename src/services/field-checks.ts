import { DomainError, invalid } from "../domain/errors.ts";

/** Trimmed text that must be there and not too long; fails naming the field. */
export function requireText(value: string | undefined, field: string, label: string, max: number): string {
  const text = (value ?? "").trim();
  if (text === "") throw invalid(`${label} is required.`, { [field]: "required" });
  if (text.length > max) throw invalid(`${label} must be at most ${max} characters.`, { [field]: `at most ${max} characters` });
  return text;
}

/**
 * Runs each field's check and gathers every problem, so that a form can show
 * them all together. A single problem keeps its own message (the command line
 * prints it); several are joined.
 */
export function checkFields<K extends string>(checks: Record<K, () => string>): Record<K, string> {
  const values = {} as Record<K, string>;
  const problems: DomainError[] = [];
  const fields: Record<string, string> = {};
  for (const field of Object.keys(checks) as K[]) {
    try {
      values[field] = checks[field]();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push(error);
      fields[field] = error.fields[field] ?? error.message;
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw invalid(problems.map((p) => p.message).join(" "), fields);
  return values;
}
