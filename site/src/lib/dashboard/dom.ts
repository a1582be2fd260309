/** Small DOM helpers the dashboard views share. Text goes in through `textContent` only. */

export function must<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`dashboard markup is missing ${selector}`);
  return found;
}

type Child = Node | string | null | undefined | false;

/** `el(doc, "td", { className: "num" }, "12")`: an element with attributes and text or node children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** An `<option>` for a `<select>`. */
export function option(doc: Document, value: string, label: string, selected = false): HTMLOptionElement {
  const o = doc.createElement("option");
  o.value = value;
  o.textContent = label;
  o.selected = selected;
  return o;
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
