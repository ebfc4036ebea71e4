/**
 * A label value taken from outside (an operation name, a reason string) with a bounded number of
 * values: Prometheus keeps one series per value, so an attacker who picks names must not be able to
 * grow memory without end. Values that are not plain identifiers, are too long, or arrive after
 * `maxValues` distinct ones were seen all fall into `other`.
 */
export const OTHER = 'other';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxValues: number,
    private readonly maxLength = 64,
    private readonly whenMissing = 'anonymous',
  ) {}

  of(value: string | null | undefined): string {
    if (value === undefined || value === null || value === '') return this.whenMissing;
    if (value.length > this.maxLength || !IDENTIFIER.test(value)) return OTHER;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.maxValues) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/** A value from a closed set, or `other`; for labels whose values come from code we do not own yet. */
export function oneOf(value: string | undefined, allowed: readonly string[]): string {
  return value !== undefined && allowed.includes(value) ? value : OTHER;
}
