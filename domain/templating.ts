// Per-recipient variables in message bodies: "Bonjour {{firstName}}". No I/O, no Node built-ins,
// no evaluation: a placeholder is a name, looked up in a plain record. No HTML escaping (SMS and
// text bodies are sent as written).

export type TemplateVariables = Readonly<Record<string, string | number | null | undefined>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class TemplateError extends Error {
  constructor(
    readonly code: 'missing_variables' | 'invalid_placeholder',
    /** Missing variable names, or the malformed placeholders. */
    readonly names: string[],
  ) {
    super(
      code === 'missing_variables'
        ? `missing template variables: ${names.join(', ')}`
        : `invalid template placeholders: ${names.map((n) => `{{${n}}}`).join(', ')}`,
    );
    this.name = 'TemplateError';
  }
}

/** Variable names a template uses, in first-use order; throws on a malformed placeholder. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  const invalid: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (NAME.test(match[1])) names.add(match[1]);
    else invalid.push(match[1]);
  }
  if (invalid.length > 0) throw new TemplateError('invalid_placeholder', invalid);
  return [...names];
}

/** Substitute every {{name}}; a variable that is absent, null or undefined is an error. */
export function renderTemplate(template: string, variables: TemplateVariables): string {
  const missing = templateVariables(template).filter((name) => {
    const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
    return value === undefined || value === null;
  });
  if (missing.length > 0) throw new TemplateError('missing_variables', missing);
  // A replacer function, so "$&"-style patterns inside values are inserted literally.
  return template.replace(PLACEHOLDER, (_match, name: string) => String(variables[name]));
}

/**
 * renderTemplate compiled once for many renders (a campaign's rows): the template split on its
 * placeholders, [text, name, text, name, …, text]. Same results and errors as renderTemplate.
 */
export function compileTemplate(template: string): (variables: TemplateVariables) => string {
  const names = templateVariables(template); // throws on a malformed placeholder, as renderTemplate would
  const parts = template.split(/\{\{\s*([^{}]*?)\s*\}\}/);
  return (variables) => {
    let missing: string[] | null = null;
    for (const name of names) {
      const value = Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined;
      if (value === undefined || value === null) (missing ??= []).push(name);
    }
    if (missing) throw new TemplateError('missing_variables', missing);
    let out = parts[0];
    for (let i = 1; i < parts.length; i += 2) out += String(variables[parts[i]]) + parts[i + 1];
    return out;
  };
}
