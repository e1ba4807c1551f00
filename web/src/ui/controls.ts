import { h, uid, type Child, type Props } from '../dom.js';
import { icon, type IconName } from '../icons.js';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function button(
  label: Child,
  props: Props & { variant?: Variant; icon?: IconName } = {},
): HTMLButtonElement {
  const { variant = 'secondary', icon: iconName, ...rest } = props;
  return h(
    'button',
    { type: 'button', ...rest, class: `btn btn-${variant} ${rest.class ?? ''}`.trim() },
    iconName && icon(iconName, 16),
    h('span', null, label),
  );
}

/** An internal link the router follows without reloading the page. */
export function link(href: string, label: Child, props: Props = {}): HTMLAnchorElement {
  return h('a', { href, 'data-nav': true, ...props }, label);
}

export interface FieldOptions {
  label: string;
  hint?: string;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

/** A labelled control with its hint, described to assistive technology. */
export function field({ label, hint, control }: FieldOptions): HTMLDivElement {
  control.id ||= uid('f');
  const hintId = hint ? uid('hint') : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint && h('p', { class: 'hint', id: hintId }, hint),
  );
}

export function input(props: Props = {}): HTMLInputElement {
  return h('input', { type: 'text', class: 'input', ...props });
}

export function select(
  options: { value: string; label: string }[],
  props: Props = {},
): HTMLSelectElement {
  const control = h('select', { class: 'input', ...props });
  for (const option of options) control.append(h('option', { value: option.value }, option.label));
  if (props.value !== undefined) control.value = String(props.value);
  return control;
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info' | 'accent';

export function badge(text: string, tone: Tone = 'neutral'): HTMLSpanElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

export function callout(tone: 'info' | 'warn' | 'bad' | 'good', ...children: Child[]) {
  const glyph: IconName = tone === 'good' ? 'check' : tone === 'info' ? 'info' : 'alert';
  return h(
    'div',
    { class: `callout callout-${tone}`, role: tone === 'bad' ? 'alert' : 'status' },
    icon(glyph, 18),
    h('div', { class: 'callout-body' }, children),
  );
}

export function pageHeader(title: string, description: Child, ...actions: Child[]) {
  return h(
    'header',
    { class: 'page-header' },
    h('div', null, h('h1', { tabindex: '-1' }, title), h('p', { class: 'lede' }, description)),
    actions.length > 0 && h('div', { class: 'page-actions' }, actions),
  );
}

export function emptyState(title: string, text: Child): HTMLDivElement {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), h('p', null, text));
}

export function card(...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, children);
}

export function spinner(label = 'Loading…'): HTMLDivElement {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spin' }), label);
}

export function mono(text: string): HTMLElement {
  return h('code', { class: 'mono' }, text);
}
