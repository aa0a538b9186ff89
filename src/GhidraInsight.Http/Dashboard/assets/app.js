// GhidraInsight dashboard: regions, analyses, functions. Plain script, no build step; talks only to its own origin.
// The API key lives in sessionStorage: it lasts as long as the browser tab and is sent as X-API-Key.
"use strict";

(() => {
  const roles = { read: 1, analyze: 2, annotate: 3, admin: 4 };
  const keyStore = "ghidrainsight.apiKey";
  const state = { role: null, overviewTimer: 0, lagSamples: [], lagLinks: "", lagPlot: null, entropyPlot: null, cy: null,
    listCursor: [], analysis: null, annotations: new Map(), fn: null, mine: null };

  // ---- helpers ---------------------------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  const hex = (n) => (typeof n === "string" ? n : "0x" + Number(n).toString(16));
  const bytes = (n) => n >= 1048576 ? (n / 1048576).toFixed(1) + " MiB" : n >= 1024 ? (n / 1024).toFixed(1) + " KiB" : n + " B";
  const when = (t) => t ? new Date(t).toLocaleString() : "—";
  const ms = (v) => v === null || v === undefined ? "—" : v < 10 ? v.toFixed(1) + " ms" : Math.round(v) + " ms";
  const can = (role) => state.role !== null && roles[state.role] >= roles[role];

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && (problem.title || problem.detail) ? [problem.title, problem.detail].filter(Boolean).join(" ") : "HTTP " + status);
      this.status = status; this.problem = problem || {};
    }
  }

  function headers(extra) {
    const key = sessionStorage.getItem(keyStore);
    return Object.assign(key ? { "X-API-Key": key } : {}, extra || {});
  }

  async function api(path, options) {
    options = options || {};
    let response;
    try {
      response = await fetch(path, Object.assign({}, options, { headers: headers(options.headers), cache: "no-store" }));
    } catch (e) {
      throw new ApiError(0, { title: "The service did not answer.", detail: String(e.message || e) });
    }
    const type = response.headers.get("content-type") || "";
    const body = type.includes("json") ? await response.json().catch(() => null) : null;
    if (!response.ok) throw new ApiError(response.status, body);
    return { body, etag: response.headers.get("etag") };
  }

  function banner(message, isError) {
    const b = $("banner");
    b.hidden = !message;
    b.textContent = message || "";
    b.classList.toggle("error", !!isError);
  }

  function explain(error) {
    if (error.status === 401) return "This service asks for an API key: enter one above. (" + error.message + ")";
    if (error.status === 403) return "Your API key's role does not allow this. (" + error.message + ")";
    return error.message;
  }

  function fill(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  // ---- key and role ----------------------------------------------------------------------------------------------
  async function whoami() {
    try {
      const { body } = await api("/api/whoami");
      state.role = body.role;
      $("whoami").textContent = body.keys_required ? `${body.name} (${body.role})` : "no keys needed here (admin)";
      banner(null);
    } catch (e) {
      state.role = null;
      $("whoami").textContent = e.status === 401 ? "no valid key" : "";
      banner(explain(e), e.status !== 401);
    }
    $("upload").hidden = !can("analyze");
  }

  $("key-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const key = $("key-input").value.trim();
    if (key) sessionStorage.setItem(keyStore, key); else sessionStorage.removeItem(keyStore);
    $("key-input").value = "";
    whoami().then(route);
  });
  $("key-forget").addEventListener("click", () => {
    sessionStorage.removeItem(keyStore);
    whoami().then(route);
  });

  // ---- routing ---------------------------------------------------------------------------------------------------
  function show(view) {
    for (const id of ["regions-view", "analyses-view", "analysis-view", "function-view"]) $(id).hidden = id !== view;
    $("nav-regions").classList.toggle("active", view === "regions-view");
    $("nav-analyses").classList.toggle("active", view !== "regions-view");
    if (view !== "regions-view") { clearTimeout(state.overviewTimer); state.overviewTimer = 0; }
  }

  function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
    const parts = hash.split("/").filter(Boolean);
    if (parts[0] === "analyses" && parts.length === 4 && parts[2] === "functions") return showFunction(parts[1], parts[3]);
    if (parts[0] === "analyses" && parts.length === 2) return showAnalysis(parts[1]);
    if (parts[0] === "analyses") return showAnalyses();
    return showRegions();
  }
  window.addEventListener("hashchange", route);

  // ---- regions ---------------------------------------------------------------------------------------------------
  function showRegions() {
    show("regions-view");
    if (!state.overviewTimer) pollOverview();
    loadHistory();
  }

  async function pollOverview() {
    let interval = 2000;
    try {
      const last = state.lagSamples.length ? state.lagSamples[state.lagSamples.length - 1].at : null;
      const { body } = await api("/api/overview" + (last ? "?since=" + encodeURIComponent(last) : ""));
      // Twice per probe interval (between 0.5 and 2 s): a region taken out shows within one interval of its probe.
      interval = Math.max(500, Math.min(2000, (body.probe_interval_ms || 4000) / 2));
      $("served-by").textContent = body.served_by === "gateway" ? "via the gateway" : "region " + body.served_by;
      renderRegions(body);
      addLagSamples(body.lag_history);
      banner(null);
    } catch (e) {
      banner(explain(e), true);
    }
    if (!$("regions-view").hidden) state.overviewTimer = setTimeout(pollOverview, interval);
  }

  function renderRegions(overview) {
    const rows = overview.regions.map((r) => {
      // An out region's replication is what it reported before it went out: shown as such, not as now.
      const targets = Object.entries(r.replication || {}).map(([target, t]) =>
        h("div", { class: !r.healthy ? "muted" : t.error || t.past_retention ? "warn" : "" },
          (r.healthy ? "" : "last reported: ") + `→ ${target}: ${ms(t.lag_ms)} / ${t.pending} pending` + (t.past_retention ? " (past retention)" : "") + (t.error ? ` — ${t.error}` : "")));
      return h("tr", { dataset: { region: r.name, healthy: String(r.healthy), role: r.role } },
        h("td", {}, h("strong", { text: r.name })),
        h("td", { class: "status " + (r.healthy ? "ok" : "bad"), text: r.healthy ? "✓ serving" : "✗ out" }),
        h("td", { text: r.healthy ? ms(r.latency_ms) : "—" }),
        h("td", { class: "role", text: r.role }),
        h("td", { text: r.epoch === null || r.epoch === undefined ? "—" : r.epoch }),
        h("td", { text: r.accepting_strong_writes === null || r.accepting_strong_writes === undefined ? "—" : r.accepting_strong_writes ? "yes" : "no" }),
        h("td", {}, targets.length ? targets : h("span", { class: "muted", text: r.healthy ? "—" : "" })),
        h("td", { class: "why-out", text: r.why_out || "" }));
    });
    fill($("regions-table").tBodies[0], rows);
    $("regions-updated").textContent = `Primary ${overview.primary || "unknown"}, epoch ${overview.epoch}. Updated ${new Date(overview.at).toLocaleTimeString()}; probed every ${overview.probe_interval_ms} ms.`;
  }

  function addLagSamples(samples) {
    const horizon = Date.now() - 10 * 60 * 1000;
    state.lagSamples = state.lagSamples.concat(samples || []).filter((s) => Date.parse(s.at) >= horizon);
    const links = [...new Set(state.lagSamples.flatMap((s) => Object.keys(s.lag_ms)))].sort();
    const data = [state.lagSamples.map((s) => Date.parse(s.at) / 1000)]
      .concat(links.map((l) => state.lagSamples.map((s) => (l in s.lag_ms ? s.lag_ms[l] : null))));
    const chart = $("lag-chart");
    if (!links.length) { chart.textContent = "No replication links report lag yet."; state.lagLinks = ""; destroyPlot("lagPlot"); return; }
    const width = Math.max(300, chart.clientWidth - 10);
    if (state.lagPlot && state.lagLinks === links.join("|")) { state.lagPlot.setData(data); return; }
    destroyPlot("lagPlot");
    chart.textContent = "";
    state.lagLinks = links.join("|");
    const colors = ["#2856c7", "#c62828", "#1a7f37", "#b26a00", "#7b1fa2", "#00838f", "#5d4037", "#455a64", "#ad1457"];
    state.lagPlot = new uPlot({
      width, height: 220,
      scales: { x: { time: true } },
      axes: [{}, { label: "lag (ms)" }],
      series: [{}].concat(links.map((l, i) => ({ label: l, stroke: colors[i % colors.length], width: 1.5, spanGaps: false, points: { show: false } }))),
    }, data, chart);
  }

  function destroyPlot(name) {
    if (state[name]) { state[name].destroy(); state[name] = null; }
  }

  async function loadHistory() {
    try {
      const { body } = await api("/api/failovers");
      const rows = body.slice().reverse().map((f) =>
        h("tr", {}, h("td", { text: when(f.at) }), h("td", { text: f.from }), h("td", { text: f.to }), h("td", { text: f.epoch }), h("td", { text: f.reason })));
      fill($("failovers-table").tBodies[0], rows.length ? rows : [h("tr", {}, h("td", { colspan: 5, class: "muted", text: "No change of primary yet." }))]);
    } catch (e) {
      fill($("failovers-table").tBodies[0], [h("tr", {}, h("td", { colspan: 5, class: "muted", text: explain(e) }))]);
    }
    try {
      const { body } = await api("/api/conflicts?limit=50");
      const rows = body.items.map((c) => h("tr", {},
        h("td", { text: when(c.recorded_at) }),
        h("td", { class: "mono" }, h("a", { href: `#/analyses/${c.analysis_id}`, text: c.analysis_id.slice(0, 12) + "…" })),
        h("td", { class: "mono", text: c.address }),
        h("td", { text: [c.lost.name, c.lost.comment].filter(Boolean).join(" — ") + ` (v${c.lost.version}, epoch ${c.lost.epoch})` }),
        h("td", { text: `epoch ${c.won_epoch}, v${c.won_version}` })));
      fill($("conflicts-table").tBodies[0], rows.length ? rows : [h("tr", {}, h("td", { colspan: 5, class: "muted", text: "No conflicts recorded." }))]);
    } catch (e) {
      fill($("conflicts-table").tBodies[0], [h("tr", {}, h("td", { colspan: 5, class: "muted", text: explain(e) }))]);
    }
    if (!$("regions-view").hidden) setTimeout(() => { if (!$("regions-view").hidden) loadHistory(); }, 5000);
  }

  // ---- analyses list and upload -----------------------------------------------------------------------------------
  function showAnalyses() {
    show("analyses-view");
    state.listCursor = [];
    loadList(null);
  }

  async function loadList(after) {
    const q = $("search-input").value.trim();
    const params = new URLSearchParams({ limit: "25" });
    if (q) params.set("q", q);
    if (after) params.set("after", after);
    const tbody = $("analyses-table").tBodies[0];
    try {
      const { body } = await api("/api/analyses?" + params);
      const rows = body.items.map((a) => h("tr", { class: "clickable", dataset: { id: a.analysis_id }, onclick: () => { location.hash = `#/analyses/${a.analysis_id}`; } },
        h("td", { text: a.name || "—" }),
        h("td", { class: "mono", text: a.analysis_id }),
        h("td", { text: a.format }), h("td", { text: a.arch }), h("td", { text: bytes(a.size) }), h("td", { text: when(a.created_at) }),
        h("td", { class: a.stale ? "warn" : "", text: a.engine_version + (a.stale ? " (older engine)" : "") })));
      fill(tbody, rows.length ? rows : [h("tr", {}, h("td", { colspan: 7, class: "muted", text: q ? `Nothing matches “${q}”.` : "No analyses yet." }))]);
      $("page-next").disabled = !body.next;
      $("page-next").dataset.after = body.next || "";
      $("page-first").disabled = !after;
      banner(null);
    } catch (e) {
      fill(tbody, [h("tr", {}, h("td", { colspan: 7, class: "bad", text: explain(e) }))]);
    }
  }

  $("search-form").addEventListener("submit", (e) => { e.preventDefault(); loadList(null); });
  $("page-next").addEventListener("click", () => loadList($("page-next").dataset.after));
  $("page-first").addEventListener("click", () => loadList(null));

  const drop = $("upload");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]);
  });
  $("upload-input").addEventListener("change", (e) => { if (e.target.files.length) upload(e.target.files[0]); e.target.value = ""; });

  function upload(file) {
    const progress = $("upload-progress");
    const status = $("upload-status");
    progress.hidden = false;
    progress.value = 0;
    status.textContent = `Uploading ${file.name} (${bytes(file.size)})…`;
    const form = new FormData();
    form.append("file", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyze");
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = Math.round((100 * e.loaded) / e.total);
      if (e.loaded === e.total) status.textContent = `Analysing ${file.name}…`;
    });
    xhr.addEventListener("load", () => {
      progress.hidden = true;
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        status.replaceChildren(`Analysed ${file.name}: `, h("a", { href: `#/analyses/${body.analysis_id}`, text: body.analysis_id }));
        $("search-input").value = "";
        loadList(null);
      } else {
        status.textContent = `${file.name} was not analysed: ` + explain(new ApiError(xhr.status, body));
      }
    });
    xhr.addEventListener("error", () => { progress.hidden = true; status.textContent = `${file.name}: the upload failed (no answer from the service).`; });
    xhr.send(form);
  }

  // ---- one analysis ----------------------------------------------------------------------------------------------
  async function loadAnalysis(id) {
    if (state.analysis && state.analysis.analysis_id === id) return state.analysis;
    const { body } = await api(`/api/analyses/${encodeURIComponent(id)}`);
    state.analysis = body;
    state.annotations = new Map();
    try {
      const { body: list } = await api(`/api/analyses/${encodeURIComponent(id)}/annotations?limit=500`);
      for (const a of list.annotations || []) state.annotations.set(a.address, a);
    } catch { /* names from the engine only */ }
    return body;
  }

  async function showAnalysis(id) {
    show("analysis-view");
    state.analysis = null;
    let a;
    try {
      a = await loadAnalysis(id);
    } catch (e) {
      $("analysis-title").textContent = "Analysis " + id;
      $("summary").replaceChildren(h("dt", { text: "Error" }), h("dd", { class: "bad", text: explain(e) }));
      return;
    }
    const b = a.binary;
    $("analysis-title").textContent = (a.name || b.sha256.slice(0, 16) + "…") + ` — ${b.format} ${b.arch}`;
    const summary = [
      ["Name", a.name || "—"], ["SHA-256", b.sha256], ["Format", `${b.format}${b.kind ? " " + b.kind : ""} ${b.file_type || ""}`],
      ["Architecture", `${b.arch}, ${b.bits}-bit, ${b.endian}`], ["Size", bytes(b.size)], ["Entry point", b.entry_point ? hex(b.entry_point) : "—"],
      ["Entropy", `${Number(a.entropy.overall).toFixed(3)}` + (a.entropy.packed ? " — packed or encrypted" : "") + (a.entropy.reason ? ` (${a.entropy.reason})` : "")],
      ["Counts", `${a.sections.length} sections, ${a.functions.length} functions, ${a.imports.length} imports, ${a.exports.length} exports, ${a.strings.length} strings, ${a.findings.length} findings`],
      ["Engine", a.engine_version + (a.stale ? " (older than this region's; re-analysed in the background)" : "")],
      ["Served by", a.region || "—"],
    ];
    $("summary").replaceChildren(...summary.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
    renderSections(a);
    renderEntropy(a);
    fill($("findings").tBodies[0], a.findings.length ? a.findings.map((f) => h("tr", {},
      h("td", { class: "sev-" + f.severity, text: f.severity }), h("td", { text: f.type }), h("td", { text: f.symbol }),
      h("td", { class: "mono", text: f.address ? hex(f.address) : "" }), h("td", { text: f.cwe }), h("td", { text: f.recommendation })))
      : [h("tr", {}, h("td", { colspan: 6, class: "muted", text: "No findings." }))]);
    const mitigations = Object.entries(a.mitigations).filter(([, v]) => v !== null && v !== undefined);
    $("mitigations").replaceChildren(...mitigations.flatMap(([k, v]) => [h("dt", { text: k.replace(/_/g, " ") }),
      h("dd", { class: typeof v === "boolean" ? (v ? "ok" : "bad") : "", text: typeof v === "boolean" ? (v ? "yes" : "no") : v })]));
    filtered("functions-filter", "functions-table", "functions-more", a.functions, (f) => `${hex(f.address)} ${functionName(f)}`, (f) =>
      h("tr", { class: "clickable", dataset: { address: hex(f.address) }, onclick: () => { location.hash = `#/analyses/${a.analysis_id}/functions/${hex(f.address)}`; } },
        h("td", { class: "mono", text: hex(f.address) }), h("td", { class: "fname", text: functionName(f) }), h("td", { text: f.size }),
        h("td", { text: f.instruction_count }), h("td", { text: (f.calls || []).length })));
    filtered("imports-filter", "imports", "imports-more", a.imports, (i) => `${i.library || ""} ${i.name || ""}`, (i) =>
      h("tr", {}, h("td", { text: i.library || "" }), h("td", { text: i.name || "" }), h("td", { text: i.ordinal ?? "" })));
    filtered("exports-filter", "exports", "exports-more", a.exports, (x) => x.name, (x) =>
      h("tr", {}, h("td", { text: x.name }), h("td", { class: "mono", text: hex(x.address) }), h("td", { text: x.ordinal ?? "" })));
    filtered("strings-filter", "strings", "strings-more", a.strings, (s) => s.value, (s) =>
      h("tr", {}, h("td", { class: "mono", text: hex(s.offset) }), h("td", { text: s.section || "" }), h("td", { text: s.encoding }), h("td", { class: "mono", text: s.value })));
  }

  function functionName(f) {
    const annotation = state.annotations.get(hex(f.address));
    return (annotation && annotation.name) || f.name || "sub_" + hex(f.address).slice(2);
  }

  // A table with a filter box: at most 500 rows drawn, and how many matched.
  function filtered(inputId, tableId, moreId, items, text, row) {
    const input = $(inputId);
    const draw = () => {
      const needle = input.value.trim().toLowerCase();
      const matching = needle ? items.filter((item) => text(item).toLowerCase().includes(needle)) : items;
      fill($(tableId).tBodies[0], matching.slice(0, 500).map(row));
      $(moreId).textContent = matching.length > 500 ? `Showing 500 of ${matching.length}; filter to narrow.` : `${matching.length} of ${items.length}.`;
    };
    input.value = "";
    input.oninput = draw;
    draw();
  }

  function renderSections(a) {
    const rows = a.sections.filter((s) => s.entropy !== null && s.entropy !== undefined).map((s) => {
      const bar = h("div", { class: "bar" + (s.entropy > 7.2 ? " high" : "") });
      bar.style.width = Math.min(100, (100 * s.entropy) / 8) + "%";
      return h("div", { class: "bar-row", dataset: { section: s.name } },
        h("span", { class: "mono", text: s.name }), h("div", { class: "bar-track" }, bar), h("span", { text: s.entropy.toFixed(2) }));
    });
    $("sections-chart").replaceChildren(...(rows.length ? rows : [h("p", { class: "muted", text: "No sections with content." })]));
  }

  function renderEntropy(a) {
    destroyPlot("entropyPlot");
    const chart = $("entropy-chart");
    const profile = a.entropy.profile;
    if (!profile) {
      chart.textContent = `Not in this analysis (engine ${a.engine_version}); a re-analysis by a newer engine adds it.`;
      return;
    }
    if (!profile.length) { chart.textContent = "The file is empty."; return; }
    chart.textContent = "";
    const size = a.entropy.block_size;
    state.entropyPlot = new uPlot({
      width: Math.max(300, chart.clientWidth - 10), height: 200,
      scales: { x: { time: false }, y: { range: [0, 8] } },
      axes: [{ label: `offset (blocks of ${size} bytes)`, values: (u, ticks) => ticks.map((t) => hex(Math.round(t))) }, { label: "bits per byte" }],
      series: [{ label: "offset", value: (u, v) => (v === null ? "" : hex(Math.round(v))) }, { label: "entropy", stroke: "#2856c7", fill: "rgba(40,86,199,0.15)", width: 1.5 }],
    }, [profile.map((_, i) => i * size), profile], chart);
  }

  // ---- one function ----------------------------------------------------------------------------------------------
  async function showFunction(id, address) {
    show("function-view");
    $("function-back").href = `#/analyses/${id}`;
    $("conflict").hidden = true;
    $("annotate-status").textContent = "";
    let view;
    try {
      await loadAnalysis(id);
      view = (await api(`/api/analyses/${encodeURIComponent(id)}/functions/${encodeURIComponent(address)}`)).body;
    } catch (e) {
      $("function-name").textContent = address;
      $("function-original").textContent = explain(e);
      return;
    }
    state.fn = { id, address: hex(view.function.address), view };
    renderFunction(view);
  }

  function renderFunction(view) {
    const f = view.function;
    const annotation = view.annotation;
    if (annotation) state.annotations.set(annotation.address, annotation); else state.annotations.delete(hex(f.address));
    $("function-name").textContent = (annotation && annotation.name) || f.name || "sub_" + hex(f.address).slice(2);
    $("function-address").textContent = hex(f.address);
    $("function-original").textContent = `${f.original_name ? "In the binary: " + f.original_name + ". " : ""}${f.size} bytes, ${f.instruction_count} instructions, found by ${f.source}.`;
    $("function-comment").textContent = annotation && annotation.comment ? "Comment: " + annotation.comment : "";
    const form = $("annotate-form");
    form.hidden = !can("annotate");
    form.dataset.version = annotation ? String(annotation.version) : "";
    $("annotate-name").value = (annotation && annotation.name) || "";
    $("annotate-comment").value = (annotation && annotation.comment) || "";
    const byAddress = new Map(state.analysis.functions.map((x) => [hex(x.address), x]));
    const link = (a) => h("li", {}, h("a", { class: "mono", href: `#/analyses/${state.fn.id}/functions/${hex(a)}`, text: hex(a) }),
      " ", byAddress.has(hex(a)) ? functionName(byAddress.get(hex(a))) : "");
    $("function-calls").replaceChildren(...(f.calls.length ? f.calls.map(link) : [h("li", { class: "muted", text: "none" })]));
    $("function-callers").replaceChildren(...(view.callers.length ? view.callers.map(link) : [h("li", { class: "muted", text: "none" })]));
    $("disassembly").textContent = view.disassembly_available
      ? view.instructions.map((i) => `${hex(i.address).padStart(12)}  ${i.bytes.padEnd(24)}  ${i.text}`).join("\n")
      : "The disassembly is not available here: this region holds no copy of the binary and could not fetch one.";
    renderGraph(f, view.callers, byAddress);
  }

  // The function, what it calls and what calls it, and one step further out on each side.
  function renderGraph(f, callers, byAddress) {
    if (state.cy) { state.cy.destroy(); state.cy = null; }
    const center = hex(f.address);
    const callersOf = new Map();
    for (const x of state.analysis.functions) for (const c of x.calls || []) {
      const k = hex(c);
      if (!callersOf.has(k)) callersOf.set(k, []);
      callersOf.get(k).push(hex(x.address));
    }
    const nodes = new Map();
    const edges = new Set();
    const add = (a, level) => { if (!nodes.has(a) && nodes.size < 60) nodes.set(a, level); return nodes.has(a); };
    add(center, 0);
    for (const c of f.calls.map(hex)) if (add(c, 1)) edges.add(center + ">" + c);
    for (const c of callers.map(hex)) if (add(c, 1)) edges.add(c + ">" + center);
    // One step further only while the graph stays readable.
    for (const [a, level] of nodes.size <= 12 ? [...nodes] : []) {
      if (level !== 1) continue;
      for (const c of ((byAddress.get(a) || {}).calls || []).map(hex)) if (add(c, 2)) edges.add(a + ">" + c);
      for (const c of callersOf.get(a) || []) if (add(c, 2)) edges.add(c + ">" + a);
    }
    const elements = [...nodes].map(([a, level]) => ({ data: { id: a, label: byAddress.has(a) ? functionName(byAddress.get(a)) : a, level } }))
      .concat([...edges].filter((e) => { const [s, t] = e.split(">"); return nodes.has(s) && nodes.has(t); })
        .map((e) => { const [s, t] = e.split(">"); return { data: { id: e, source: s, target: t } }; }));
    state.cy = cytoscape({
      container: $("callgraph"), elements,
      // Callers above, the function in the middle, what it calls below.
      layout: { name: "breadthfirst", directed: true, roots: topmost(nodes, edges, center), spacingFactor: 1.1 },
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#9fb4e8", width: 14, height: 14, "text-valign": "bottom" } },
        { selector: "node[level = 0]", style: { "background-color": "#c62828", width: 20, height: 20, "font-weight": "bold" } },
        { selector: "edge", style: { width: 1, "line-color": "#98a2b3", "target-arrow-color": "#98a2b3", "target-arrow-shape": "triangle", "curve-style": "bezier" } },
      ],
    });
    state.cy.on("tap", "node", (e) => { location.hash = `#/analyses/${state.fn.id}/functions/${e.target.id()}`; });
  }

  // The nodes nothing in the graph calls (the outermost callers), or the function itself when nothing calls it.
  function topmost(nodes, edges, center) {
    const called = new Set([...edges].map((e) => e.split(">")[1]));
    const roots = [...nodes.keys()].filter((a) => !called.has(a));
    return roots.length ? roots : [center];
  }

  $("annotate-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = $("annotate-form");
    save({ name: $("annotate-name").value.trim() || null, comment: $("annotate-comment").value.trim() || null }, form.dataset.version);
  });

  // Writes go to the primary (the gateway or the region forwards them) with If-Match, so a stale edit is refused, never lost.
  async function save(mine, version) {
    const { id, address } = state.fn;
    const status = $("annotate-status");
    status.textContent = "Saving…";
    const body = { name: mine.name, comment: mine.comment, tags: (state.annotations.get(address) || {}).tags || [] };
    try {
      const answer = await api(`/api/analyses/${encodeURIComponent(id)}/annotations/${address}`, {
        method: "PUT", body: JSON.stringify(body),
        headers: Object.assign({ "Content-Type": "application/json" }, version ? { "If-Match": `"${version}"` } : { "If-None-Match": "*" }),
      });
      $("conflict").hidden = true;
      status.textContent = `Saved (version ${answer.body.version}, by ${answer.body.region || "the primary"}).`;
      state.fn.view.annotation = answer.body;
      renderFunction(state.fn.view);
    } catch (e) {
      // 409: the version sent is not the stored one; 412: it was to be new, and someone created it meanwhile.
      if (e.status === 409 || e.status === 412) return conflict(mine);
      status.textContent = "Not saved: " + explain(e);
    }
  }

  async function conflict(mine) {
    const { id, address } = state.fn;
    let theirs = null;
    try {
      theirs = (await api(`/api/analyses/${encodeURIComponent(id)}/annotations/${address}`)).body;
    } catch (e) {
      if (e.status !== 404) { $("annotate-status").textContent = "Not saved, and the stored version could not be read: " + explain(e); return; }
    }
    state.mine = mine;
    const pairs = (a) => [["Name", a ? a.name || "—" : "—"], ["Comment", a ? a.comment || "—" : "—"]].flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]);
    $("conflict-mine").replaceChildren(...pairs(mine));
    $("conflict-theirs").replaceChildren(...pairs(theirs));
    $("conflict-version").textContent = theirs ? `version ${theirs.version}, ${when(theirs.updated_at)}` : "deleted";
    $("conflict").dataset.version = theirs ? String(theirs.version) : "";
    $("conflict").hidden = false;
    $("annotate-status").textContent = "Not saved: the function changed meanwhile.";
  }

  $("conflict-overwrite").addEventListener("click", () => save(state.mine, $("conflict").dataset.version));
  $("conflict-take-theirs").addEventListener("click", () => { $("conflict").hidden = true; showFunction(state.fn.id, state.fn.address); });

  // ---- start -----------------------------------------------------------------------------------------------------
  whoami().then(route);
})();
