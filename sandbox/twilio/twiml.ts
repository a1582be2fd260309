/**
 * The slice of TwiML (https://www.twilio.com/docs/voice/twiml) the stand-in runs: `<Connect><Stream>`
 * with `<Parameter>`s, `<Say>`, `<Pause>` and `<Hangup/>`, read by a small XML parser (elements,
 * attributes, text, the five entities and numeric references, comments, the XML declaration).
 * Other verbs are kept as `unsupported` so the call record shows them instead of failing the call.
 */

export interface StreamVerb {
  verb: "Connect";
  stream: {
    url: string;
    name: string | null;
    track: string | null;
    statusCallback: string | null;
    statusCallbackMethod: "GET" | "POST";
    parameters: Record<string, string>;
  };
}
export interface SayVerb {
  verb: "Say";
  text: string;
  voice: string | null;
  language: string | null;
  loop: number;
}
export interface PauseVerb {
  verb: "Pause";
  seconds: number;
}
export interface HangupVerb {
  verb: "Hangup";
}
export interface UnsupportedVerb {
  verb: "unsupported";
  name: string;
}
export type TwimlVerb = StreamVerb | SayVerb | PauseVerb | HangupVerb | UnsupportedVerb;

export type TwimlParse = { ok: true; verbs: TwimlVerb[] } | { ok: false; error: string };

/** Twilio refuses a `Twiml` parameter longer than this. */
export const MAX_TWIML_CHARS = 4000;

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}
type XmlNode = XmlElement | { text: string };

export function parseTwiml(source: string): TwimlParse {
  let root: XmlElement;
  try {
    root = parseXml(source);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (root.name !== "Response") return { ok: false, error: `The root element must be <Response>, not <${root.name}>` };
  const verbs: TwimlVerb[] = [];
  for (const child of elements(root)) {
    const verb = readVerb(child);
    if (typeof verb === "string") return { ok: false, error: verb };
    verbs.push(verb);
  }
  return { ok: true, verbs };
}

function readVerb(element: XmlElement): TwimlVerb | string {
  switch (element.name) {
    case "Connect": {
      const stream = elements(element).find((child) => child.name === "Stream");
      if (!stream) return { verb: "unsupported", name: `Connect/${elements(element)[0]?.name ?? "(empty)"}` };
      const url = stream.attributes.url;
      if (!url) return "<Stream> needs a url attribute";
      const parameters: Record<string, string> = {};
      for (const parameter of elements(stream)) {
        if (parameter.name !== "Parameter") return `<Stream> may only hold <Parameter>, not <${parameter.name}>`;
        const name = parameter.attributes.name;
        if (name === undefined) return "<Parameter> needs a name attribute";
        parameters[name] = parameter.attributes.value ?? "";
      }
      const method = (stream.attributes.statusCallbackMethod ?? "POST").toUpperCase();
      return {
        verb: "Connect",
        stream: {
          url,
          name: stream.attributes.name ?? null,
          track: stream.attributes.track ?? null,
          statusCallback: stream.attributes.statusCallback ?? null,
          statusCallbackMethod: method === "GET" ? "GET" : "POST",
          parameters,
        },
      };
    }
    case "Say": {
      const loop = Number(element.attributes.loop ?? "1");
      return {
        verb: "Say",
        text: textOf(element).replace(/\s+/g, " ").trim(),
        voice: element.attributes.voice ?? null,
        language: element.attributes.language ?? null,
        // `loop="0"` repeats until the call ends in Twilio; a sandbox caps it.
        loop: Number.isInteger(loop) && loop >= 0 ? (loop === 0 ? 10 : Math.min(loop, 10)) : 1,
      };
    }
    case "Pause": {
      const seconds = Number(element.attributes.length ?? "1");
      return { verb: "Pause", seconds: Number.isFinite(seconds) && seconds >= 0 ? seconds : 1 };
    }
    case "Hangup":
      return { verb: "Hangup" };
    default:
      return { verb: "unsupported", name: element.name };
  }
}

function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((child): child is XmlElement => "name" in child);
}

function textOf(element: XmlElement): string {
  return element.children.map((child) => ("name" in child ? textOf(child) : child.text)).join("");
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = ENTITIES[ref];
    if (named === undefined) throw new Error(`Unknown entity ${whole}`);
    return named;
  });
}

/** A strict little XML reader: one root element, balanced tags, quoted attributes. */
function parseXml(source: string): XmlElement {
  let at = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const fail = (message: string): never => {
    throw new Error(`${message} at offset ${at}`);
  };

  while (at < source.length) {
    const lt = source.indexOf("<", at);
    const text = source.slice(at, lt === -1 ? source.length : lt);
    if (text.length > 0) {
      const parent = stack.at(-1);
      if (parent) parent.children.push({ text: decodeEntities(text) });
      else if (text.trim().length > 0) fail("Text outside the root element");
    }
    if (lt === -1) break;
    at = lt;
    if (source.startsWith("<?", at)) {
      const end = source.indexOf("?>", at);
      if (end === -1) fail("Unclosed processing instruction");
      at = end + 2;
    } else if (source.startsWith("<!--", at)) {
      const end = source.indexOf("-->", at);
      if (end === -1) fail("Unclosed comment");
      at = end + 3;
    } else if (source.startsWith("</", at)) {
      const match = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(at));
      if (!match) return fail("Malformed closing tag");
      const open = stack.pop();
      if (!open || open.name !== match[1]) fail(`</${match[1]}> does not close <${open?.name ?? "nothing"}>`);
      at += match[0].length;
    } else {
      const match = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(source.slice(at));
      if (!match) return fail("Malformed tag");
      const [whole, name = "", rawAttributes = "", selfClosing] = match;
      const attributes: Record<string, string> = {};
      for (const attribute of rawAttributes.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const key = attribute[1] ?? "";
        if (key in attributes) fail(`Attribute ${key} repeats`);
        attributes[key] = decodeEntities(attribute[2] ?? attribute[3] ?? "");
      }
      const element: XmlElement = { name, attributes, children: [] };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) fail("More than one root element");
      else root = element;
      if (!selfClosing) stack.push(element);
      at += whole.length;
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)?.name}> is never closed`);
  if (!root) return fail("No root element");
  return root;
}
