// Tiny DOM helpers: every text goes through textContent (never innerHTML),
// so chain data cannot inject markup.

export type Child = Node | string | number | null | undefined | false;

/** Creates `<tag attrs…>children…</tag>`. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** A link to an explorer route. */
export function link(route: string, text: string | number): HTMLAnchorElement {
  return el('a', { href: `#/${route}` }, String(text));
}

/** A link to an account page. */
export function account(address: string | null | undefined): Node {
  return address ? link(`account/${address}`, address) : document.createTextNode('—');
}

/** A two-column table of labelled values. */
export function facts(rows: [string, Child][], id = ''): HTMLTableElement {
  return el('table', { class: 'facts', ...(id ? { id } : {}) },
    ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
}

/** A table with a header row. */
export function table(head: string[], rows: Child[][], id = ''): HTMLTableElement {
  return el('table', { class: 'list', ...(id ? { id } : {}) },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
}

/** A page section with a heading. */
export function section(title: string, ...children: Child[]): HTMLElement {
  return el('section', {}, el('h2', {}, title), ...children);
}

/** A time (ms since the epoch) as ISO 8601 UTC. */
export function time(ms: number | null | undefined): string {
  return ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '—';
}

/** JSON shown as preformatted text. */
export function json(value: unknown): HTMLElement {
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}
