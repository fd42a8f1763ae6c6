import escapeHtml from 'escape-html';

/** The one HTML escaper, for text and attribute values alike: every surface escapes through escape-html. */
export { escapeHtml };

/** Markup that is already safe: produced by `html` or by a renderer that escaped its input. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
}

/**
 * Tagged template for views: every interpolated value is escaped unless it is
 * SafeHtml, so text from staff or the database can never inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1];
  });
  return new SafeHtml(out);
}

/** Trusted markup from code (never from input): inline scripts' JSON, pre-rendered fragments. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so the data cannot close the element. */
export function jsonScript(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/</g, '\\u003c'));
}

/** The path of one of our absolute public URLs: links inside a page work whichever host name served it. */
export function local(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
