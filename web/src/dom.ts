/**
 * Small render helpers. Every element is made with createElement and every text with a text
 * node: nothing is ever parsed as HTML, which is what lets the page policy forbid it outright.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
export type Props = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) setProp(element, key, value);
  append(element, children);
  return element;
}

function setProp(element: HTMLElement, key: string, value: unknown): void {
  if (value === undefined || value === null || value === false) return;
  if (key.startsWith('on') && typeof value === 'function') {
    element.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
  } else if (key === 'value' && 'value' in element) {
    (element as HTMLInputElement).value = String(value);
  } else {
    element.setAttribute(key, value === true ? '' : String(value));
  }
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children.flat(Infinity as 1) as Child[]) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A unique id for pairing labels, hints and errors with their inputs. */
let counter = 0;
export function uid(prefix: string): string {
  return `${prefix}-${++counter}`;
}
