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
  const problems = new Problems();
  const values = {} as Record<K, string>;
  for (const field of Object.keys(checks) as K[]) {
    try {
      values[field] = checks[field]();
    } catch (error) {
      problems.add(field, error);
    }
  }
  problems.throwIfAny();
  return values;
}

/** checkFields for checks that look things up, or give values other than text. */
export async function checkFieldsAsync<T extends Record<string, unknown>>(
  checks: { [K in keyof T]: () => T[K] | Promise<T[K]> },
): Promise<T> {
  const problems = new Problems();
  const values = {} as T;
  for (const field of Object.keys(checks) as (keyof T & string)[]) {
    try {
      values[field] = await checks[field]();
    } catch (error) {
      problems.add(field, error);
    }
  }
  problems.throwIfAny();
  return values;
}

class Problems {
  private readonly errors: DomainError[] = [];
  private readonly fields: Record<string, string> = {};

  add(field: string, error: unknown) {
    if (!(error instanceof DomainError)) throw error;
    this.errors.push(error);
    this.fields[field] = error.fields[field] ?? error.message;
  }

  throwIfAny() {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw invalid(this.errors.map((p) => p.message).join(" "), this.fields);
  }
}
