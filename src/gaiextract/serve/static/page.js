"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const drop = $("drop"), input = $("file"), status = $("status");
  let current = null, inspectUrl = null, jsonUrl = null;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function say(text, bad) { status.textContent = text; status.className = bad ? "error" : ""; }
  function headers() {
    const t = $("token").value.trim();
    return t ? { "Authorization": "Bearer " + t } : {};
  }
  async function post(path, file) {
    const url = path + "?filename=" + encodeURIComponent(file.name);
    return fetch(url, { method: "POST", body: file, headers: headers() });
  }
  async function failure(resp) {
    try { const e = await resp.json(); return e.code + ": " + e.message; } catch (_) { return "HTTP " + resp.status; }
  }
  function table(head, rows) {
    const t = el("table"), tr = el("tr");
    head.forEach((h) => tr.appendChild(el("th", h)));
    t.appendChild(tr);
    rows.forEach((r) => t.appendChild(r));
    return t;
  }
  function row(cells, cls) {
    const tr = el("tr", null, cls);
    cells.forEach(([v, c]) => tr.appendChild(el("td", v === null || v === undefined ? "—" : v,
      c || (v === null || v === undefined ? "null" : ""))));
    return tr;
  }
  function show(rep, file) {
    const r = rep.report || {}, src = rep.source || {};
    const facts = $("facts");
    facts.replaceChildren(el("div", r.title || file.name, "title"),
      el("div", [r.agency || "agency unknown", "year " + (r.year ?? "?"), "edition " + r.edition,
        src.format + (src.pages ? ", " + src.pages + " pages" : "")].join(" · ")));
    const failing = (rep.checks || []).filter((c) => c.ok === false);
    const checks = $("checks");
    checks.replaceChildren(el("p", (rep.checks || []).length + " checks, " + failing.length + " failing",
      failing.length ? "bad" : "ok"));
    const checkTable = (list) => table(["check", "ok", "expected", "actual", "rule"], list.map((c) =>
      row([[c.id], [c.ok === null ? "n/a" : c.ok ? "ok" : "FAILS"], [c.expected, "num"], [c.actual, "num"],
        [c.rule]], c.ok === false ? "bad check" : "check")));
    if (failing.length) checks.appendChild(checkTable(failing));
    const rest = (rep.checks || []).filter((c) => c.ok !== false);
    if (rest.length) {
      const d = el("details");
      d.appendChild(el("summary", rest.length + " other checks"));
      d.appendChild(checkTable(rest));
      checks.appendChild(d);
    }
    const warns = rep.warnings || [];
    $("warnings").replaceChildren(warns.length ? table(["code", "where", "detail"], warns.map((w) =>
      row([[w.code], [[w.table, w.key, w.section].filter(Boolean).join(" ")], [w.detail]], "warning")))
      : el("p", "no warnings", "none"));
    const tables = $("tables");
    tables.replaceChildren();
    const names = Object.keys(rep.tables || {});
    if (!names.length) tables.appendChild(el("p", "no table found", "none"));
    names.forEach((name) => {
      const t = rep.tables[name], prov = t.provenance || {};
      const d = el("details");
      d.open = true;
      d.appendChild(el("summary", name + " (" + Object.keys(t.cells || {}).length + " cells)"));
      d.appendChild(table(["key", "value", "printed", "how"], Object.entries(t.cells || {}).map(([k, v]) => {
        const tr = row([[k], [v, "num"], [(prov[k] || {}).raw], [(prov[k] || {}).how]], "cell");
        tr.dataset.key = name + "." + k;
        return tr;
      })));
      d.dataset.table = name;
      tables.appendChild(d);
    });
    $("sections").replaceChildren(...(rep.sections || []).map((s) => el("li", s.heading)));
    $("result").hidden = false;
  }
  async function read(file) {
    current = file;
    $("result").hidden = true;
    $("inspect-link").hidden = true;
    say("reading " + file.name + " …");
    let resp;
    try { resp = await post("/v1/extract", file); } catch (e) { say("the server did not answer: " + e, true); return; }
    if (!resp.ok) { say(file.name + ": " + await failure(resp), true); return; }
    const text = await resp.text();
    if (jsonUrl) URL.revokeObjectURL(jsonUrl);
    jsonUrl = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    $("json-link").href = jsonUrl;
    $("json-link").download = file.name + ".json";
    show(JSON.parse(text), file);
    say(file.name + ": read");
  }
  $("inspect").addEventListener("click", async () => {
    if (!current) return;
    say("building the inspect page …");
    const resp = await post("/v1/inspect", current);
    if (!resp.ok) { say(current.name + ": " + await failure(resp), true); return; }
    if (inspectUrl) URL.revokeObjectURL(inspectUrl);
    inspectUrl = URL.createObjectURL(new Blob([await resp.text()], { type: "text/html" }));
    const link = $("inspect-link");
    link.href = inspectUrl;
    link.hidden = false;
    say("inspect page ready");
  });
  input.addEventListener("change", () => { if (input.files.length) read(input.files[0]); });
  ["dragenter", "dragover"].forEach((n) => drop.addEventListener(n, (e) => { e.preventDefault(); drop.classList.add("over"); }));
  ["dragleave", "drop"].forEach((n) => drop.addEventListener(n, () => drop.classList.remove("over")));
  drop.addEventListener("drop", (e) => { e.preventDefault(); if (e.dataTransfer.files.length) read(e.dataTransfer.files[0]); });
})();
