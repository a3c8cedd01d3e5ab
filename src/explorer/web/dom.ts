// The few DOM types the explorer's pages use. The project compiles against Node's types only (no
// "dom" lib, which would change every file's globals), so the browser side declares what it touches
// here and reaches `document` and `window` through globalThis, only when a page runs.

export interface Ev {
  preventDefault(): void;
  stopPropagation(): void;
  readonly key?: string;
}

export interface ElList {
  readonly length: number;
  forEach(callback: (element: El) => void): void;
}

export interface El {
  readonly tagName: string;
  textContent: string | null;
  className: string;
  id: string;
  value: string;
  disabled: boolean;
  hidden: boolean;
  checked: boolean;
  readonly classList: {
    add(...names: string[]): void;
    remove(...names: string[]): void;
    toggle(name: string, force?: boolean): boolean;
    contains(name: string): boolean;
  };
  append(...nodes: (El | string)[]): void;
  replaceChildren(...nodes: (El | string)[]): void;
  remove(): void;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  addEventListener(type: string, listener: (ev: Ev) => void): void;
  querySelector(selectors: string): El | null;
  querySelectorAll(selectors: string): ElList;
  focus(): void;
}

export interface Doc {
  createElement(tag: string): El;
  createElementNS(namespace: string, tag: string): El;
  getElementById(id: string): El | null;
  title: string;
}

export interface Win {
  readonly location: { hash: string };
  addEventListener(type: string, listener: () => void): void;
}

interface BrowserGlobals {
  document: Doc;
  window: Win;
}

export const doc = (): Doc => (globalThis as unknown as BrowserGlobals).document;
export const win = (): Win => (globalThis as unknown as BrowserGlobals).window;

export type Child = El | string | number | null | undefined | false;
export type Listener = (ev: Ev) => void;
/** Attributes by name; `on<event>` keys take listeners; null, undefined and false leave one out. */
export type Props = Record<string, string | number | boolean | null | undefined | Listener>;

const SVG_NS = "http://www.w3.org/2000/svg";

function build(element: El, props: Props | undefined, children: Child[]): El {
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "value") element.value = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "number" ? String(child) : child);
  }
  return element;
}

/** An HTML element: `h("a", { href: "#/" }, "home")`. */
export function h(tag: string, props?: Props, ...children: Child[]): El {
  return build(doc().createElement(tag), props, children);
}

/** An SVG element. */
export function svg(tag: string, props?: Props, ...children: Child[]): El {
  return build(doc().createElementNS(SVG_NS, tag), props, children);
}
