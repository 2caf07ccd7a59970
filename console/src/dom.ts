// The staff console's DOM helper (issue #13): `h(tag, attrs, ...children)` builds elements with
// text nodes only (never innerHTML, so no customer string is ever parsed as markup), and a few
// accessible building blocks shared by the pages (labelled fields, tables, status messages).
type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((e: Event) => void);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Record<string, AttrValue> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let ids = 0;
/** A labelled form control: the label's `for` names the control's id. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f${++ids}`;
  control.id = id;
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function select(name: string, options: [string, string][], value = ''): HTMLSelectElement {
  return h(
    'select',
    { name },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
}

/** A data table with a caption (its accessible name) and column headers. */
export function table(caption: string, headers: string[], rows: HTMLTableRowElement[], empty = 'Nothing to show.') {
  return h(
    'table',
    null,
    h('caption', null, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h('tbody', null, rows.length ? rows : h('tr', null, h('td', { colspan: headers.length }, empty))),
  );
}

export const td = (...children: Child[]) => h('td', null, ...children);

/** A message announced to screen readers (role=status), or an error (role=alert). */
export function notice(text: string, kind: 'ok' | 'error' = 'ok'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function badge(text: string, tone = ''): HTMLElement {
  return h('span', { class: `badge ${tone}` }, text);
}

export function clear(el: HTMLElement, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}
