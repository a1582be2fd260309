/** A small, dependency-free reader for /api/openapi.json: operations by tag, parameters and schemas. */
export const API_REFERENCE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Noir API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #111; background: #fafafa; }
  header { padding: 1.5rem 2rem; background: #111; color: #fff; }
  main { max-width: 60rem; margin: 0 auto; padding: 1rem 2rem 4rem; }
  h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
  details { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; margin: .5rem 0; }
  summary { cursor: pointer; padding: .6rem .9rem; display: flex; gap: .8rem; align-items: baseline; }
  summary:focus-visible { outline: 3px solid #4b6bfb; }
  .m { font: 600 12px ui-monospace, monospace; text-transform: uppercase; width: 4rem; }
  .get { color: #0a7d38 } .post { color: #1d4ed8 } .patch { color: #a16207 } .put { color: #7c3aed } .delete { color: #b91c1c }
  code, pre { font: 13px ui-monospace, monospace; }
  pre { background: #f4f4f5; padding: .7rem; overflow: auto; border-radius: 4px; }
  .body { padding: 0 1rem 1rem; }
  #status { color: #555; }
</style>
</head>
<body>
<header><h1>Noir API reference</h1><p>Generated from <a style="color:#9cf" href="/api/openapi.json">/api/openapi.json</a>.</p></header>
<main><p id="status" role="status">Loading the OpenAPI document…</p><div id="ops"></div></main>
<script>
const el = (tag, props = {}, ...kids) => { const n = Object.assign(document.createElement(tag), props); n.append(...kids); return n; };
const resolve = (doc, s) => s && s.$ref ? doc.components.schemas[s.$ref.split("/").pop()] : s;
fetch("/api/openapi.json").then(r => { if (!r.ok) throw new Error(r.status); return r.json(); }).then(doc => {
  const byTag = {};
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    (byTag[(op.tags || ["Other"])[0]] ||= []).push({ path, method, op });
  }
  const root = document.getElementById("ops");
  for (const [tag, list] of Object.entries(byTag)) {
    root.append(el("h2", { textContent: tag }));
    for (const { path, method, op } of list) {
      const body = el("div", { className: "body" });
      if (op.parameters?.length) body.append(el("h4", { textContent: "Parameters" }), el("pre", { textContent: op.parameters.map(p => p.in + " " + p.name + (p.required ? " (required)" : "") + ": " + JSON.stringify(resolve(doc, p.schema))).join("\\n") }));
      const req = op.requestBody?.content?.["application/json"]?.schema;
      if (req) body.append(el("h4", { textContent: "Request body" }), el("pre", { textContent: JSON.stringify(resolve(doc, req), null, 2) }));
      for (const [code, res] of Object.entries(op.responses || {})) {
        const schema = Object.values(res.content || {})[0]?.schema;
        body.append(el("h4", { textContent: code + " " + (res.description || "") }));
        if (schema) body.append(el("pre", { textContent: JSON.stringify(resolve(doc, schema), null, 2) }));
      }
      root.append(el("details", {}, el("summary", {}, el("span", { className: "m " + method, textContent: method }), el("code", { textContent: path }), el("span", { textContent: op.summary || "" })), body));
    }
  }
  document.getElementById("status").textContent = Object.keys(doc.paths).length + " paths.";
}).catch(e => { document.getElementById("status").textContent = "Could not load the OpenAPI document (" + e.message + ")."; });
</script>
</body>
</html>`;
