import { describe, expect, it } from "vitest";
import { composeOutboundEmail } from "./compose-email";
import { renderEmailHtml } from "./render-html";
import { listUnsubscribeHeaders } from "./unsubscribe-footer";

const UNSUBSCRIBE = "https://noir.example/u/org_1.ld_1.abc";

describe("the HTML part", () => {
  it("shows a model's <script> and markup as text, never as markup", () => {
    const html = renderEmailHtml({
      text: 'Hi <b>Olena</b>,\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)> & "quotes"',
      language: "en",
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("&amp; &quot;quotes&quot;");
  });

  it("keeps the paragraphs and line breaks the text has", () => {
    const html = renderEmailHtml({ text: "Hi Olena,\r\n\r\nLine one\nline two\n\n\n\nBye", language: "en", unsubscribeUrl: UNSUBSCRIBE });
    const paragraphs = [...html.matchAll(/<p style="margin:0 0 16px">(.*?)<\/p>/g)].map((m) => m[1]);
    expect(paragraphs).toEqual(["Hi Olena,", "Line one<br>line two", "Bye"]);
  });

  it("ends with the unsubscribe link, labelled in the email's language", () => {
    expect(renderEmailHtml({ text: "Вітаю!", language: "uk", unsubscribeUrl: UNSUBSCRIBE })).toContain(
      `<a href="${UNSUBSCRIBE}" style="color:#777">Відписатися</a>`,
    );
    const english = renderEmailHtml({ text: "Hi", language: "en", unsubscribeUrl: UNSUBSCRIBE });
    expect(english).toContain('lang="en"');
    expect(english).toMatch(/Unsubscribe<\/a><\/p>\n<\/body>/);
  });

  it("refuses an unsubscribe link that is not a web URL", () => {
    expect(() => renderEmailHtml({ text: "Hi", language: "en", unsubscribeUrl: "javascript:alert(1)" })).toThrow(TypeError);
    expect(() => renderEmailHtml({ text: "Hi", language: "en", unsubscribeUrl: 'https://x.example/"><script>' })).toThrow(
      TypeError,
    );
  });
});

describe("one-click unsubscribe headers", () => {
  it("name the link and the mailbox, and announce one-click (RFC 8058)", () => {
    expect(listUnsubscribeHeaders({ url: UNSUBSCRIBE, mailto: "mailto:unsubscribe+abc@in.noir.example" })).toEqual({
      "List-Unsubscribe": `<${UNSUBSCRIBE}>, <mailto:unsubscribe+abc@in.noir.example>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(listUnsubscribeHeaders({ url: UNSUBSCRIBE })["List-Unsubscribe"]).toBe(`<${UNSUBSCRIBE}>`);
  });

  it("refuse values that would break the header", () => {
    expect(() => listUnsubscribeHeaders({ url: UNSUBSCRIBE, mailto: "mailto:a@b.c>, <https://evil" })).toThrow(TypeError);
    expect(() => listUnsubscribeHeaders({ url: "ftp://noir.example/u/x" })).toThrow(TypeError);
  });
});

describe("a composed email", () => {
  const email = composeOutboundEmail({
    draft: { subject: "Idea for Acme\r\nBcc: everyone@example.com", text: "Hi Olena,\n\nShort pitch." },
    from: "Anna <anna@mail.noir.example>",
    to: "olena@acme.example",
    language: "en",
    unsubscribe: { url: UNSUBSCRIBE, mailto: "mailto:unsubscribe@in.noir.example" },
    replyTo: "reply+org_1.msg_1.0123456789abcdef0123@in.noir.example",
    tags: { campaign: "cmp_1" },
  });

  it("keeps the subject to one line, so it cannot add headers", () => {
    expect(email.subject).toBe("Idea for Acme Bcc: everyone@example.com");
  });

  it("carries the unsubscribe link in the text, the HTML and the headers", () => {
    expect(email.text).toBe(`Hi Olena,\n\nShort pitch.\n\n--\nNot interested? You will not hear from us again: Unsubscribe: ${UNSUBSCRIBE}`);
    expect(email.html).toContain(`href="${UNSUBSCRIBE}"`);
    expect(email.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email).toMatchObject({ replyTo: "reply+org_1.msg_1.0123456789abcdef0123@in.noir.example", tags: { campaign: "cmp_1" } });
  });
});
