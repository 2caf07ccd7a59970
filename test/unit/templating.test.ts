import { TemplateError, compileTemplate, renderTemplate, templateVariables } from '../../domain/templating';

describe('templating', () => {
  it('When every variable is given, then each {{name}} is replaced, spaces inside braces allowed', () => {
    expect(
      renderTemplate('Bonjour {{firstName}}, code {{ code }}. {{firstName}}!', { firstName: 'Léa', code: 42 }),
    ).toBe('Bonjour Léa, code 42. Léa!');
  });

  it('When a value contains HTML or $& patterns, then it is inserted literally', () => {
    expect(renderTemplate('<{{v}}>', { v: '<b>&amp; $& $1</b>' })).toBe('<<b>&amp; $& $1</b>>');
  });

  it('When variables are missing or null, then a TemplateError lists every missing name once', () => {
    let error: unknown;
    try {
      renderTemplate('{{a}} {{b}} {{c}} {{b}}', { a: 'x', c: null });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'missing_variables', names: ['b', 'c'] });
    expect((error as Error).message).toBe('missing template variables: b, c');
  });

  it('When a value is the empty string, then it is a present value', () => {
    expect(renderTemplate('[{{a}}]', { a: '' })).toBe('[]');
  });

  it('When a variable is named like an Object property (constructor), then it is missing unless given', () => {
    expect(() => renderTemplate('{{constructor}}', {})).toThrow(TemplateError);
    expect(renderTemplate('{{constructor}}', { constructor: 'ok' })).toBe('ok');
  });

  it('When a placeholder is not a name (expression, empty), then it is an invalid_placeholder error', () => {
    expect(() => renderTemplate('{{ a + b }}', { a: 1, b: 2 })).toThrow(
      expect.objectContaining({ code: 'invalid_placeholder', names: ['a + b'] }),
    );
    expect(() => templateVariables('{{}}')).toThrow(TemplateError);
  });

  it('When the template has no placeholders, then it is returned as is and needs no variables', () => {
    expect(templateVariables('Hello { world }')).toEqual([]);
    expect(renderTemplate('Hello { world }', {})).toBe('Hello { world }');
  });

  it('When variables are listed, then they come in first-use order without duplicates', () => {
    expect(templateVariables('{{b}} {{a}} {{b}}')).toEqual(['b', 'a']);
  });

  it('When a compiled template lacks variables, then it throws the same missing_variables error as renderTemplate', () => {
    const t = 'Bonjour {{name}}, code {{code}} {{name}}';
    const render = compileTemplate(t);
    for (const vars of [{ name: 'Léa' }, { name: null, code: 1 }, {}]) {
      let compiled: unknown;
      let plain: unknown;
      try {
        render(vars);
      } catch (e) {
        compiled = e;
      }
      try {
        renderTemplate(t, vars);
      } catch (e) {
        plain = e;
      }
      expect(compiled).toBeInstanceOf(TemplateError);
      expect(compiled).toMatchObject({ code: 'missing_variables', names: (plain as TemplateError).names });
    }
    expect(render({ name: 'Léa', code: 0 })).toBe('Bonjour Léa, code 0 Léa');
  });
});
