// Escaping template tags for the invoice renderings (CGI art. 242 nonies A: the printed and the
// XML invoice, invoice-html.ts and invoice-cii.ts): every interpolated value is escaped unless it
// is a fragment built by the same tag. No I/O, no Node built-ins: workflows import the invoices.

/** A fragment already escaped by a template tag below. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes & < > " ' — valid for HTML text, HTML attributes and XML. */
export function escapeMarkup(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function interpolate(v: unknown): string {
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeMarkup(String(v));
}

/** Tag: every interpolated value is escaped unless it is a Markup built by this tag. */
export function markup(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += interpolate(v) + strings[i + 1];
  });
  return new Markup(out);
}

/** An absent or whitespace-only text: no mention is printed from it. */
export const blank = (s: string | null | undefined): boolean => s == null || s.trim() === '';
