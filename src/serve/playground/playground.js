// The playground: rules and an event go to this server's /v1/playground API, and the
// diagnostics, outcome and explanation come back. Plain DOM code, no framework and no
// build step, so that the page is embedded in the binary as written.
"use strict";

const TEXT = {
  en: {
    playground: "playground",
    tagline: "Write or pick Zendesk triggers, run them on an update, see why they fired. Nothing leaves this server.",
    rules: "Rules",
    pickRecipe: "Recipe",
    choose: "— choose —",
    importTitle: "Import a Zendesk export",
    importHelp: "Paste what GET /api/v2/triggers returns; the rules replace those above.",
    importButton: "Import",
    event: "Update event",
    pickEvent: "Sample event",
    run: "Run",
    diagnostics: "Diagnostics",
    fired: "Fired triggers",
    effects: "Effects",
    explanation: "Explanation",
    english: "Recipes in English",
    french: "Recipes in French",
    running: "Running…",
    importing: "Importing…",
    ran: (n) => `${n} trigger${n === 1 ? "" : "s"} fired.`,
    imported: (n) => `Imported; ${n} problem${n === 1 ? "" : "s"} reported.`,
    noRun: "The rules have errors: fix them to run the event.",
    badEvent: "The event cannot be read.",
    failed: "The server refused the request:",
    noDiagnostics: "No problems.",
    noFired: "No trigger fired.",
    noEffects: "No effects.",
    noExplanation: "Run an event to see why each trigger fired or not.",
    skipped: "No trigger ran:",
    line: "line",
    pass: "Pass",
    saw: "saw",
    none: "(none)",
    verdicts: { fired: "fired", not_matched: "not matched", already_fired: "already fired", blocked: "not run" },
    groups: { all: "all of", any: "any of", not: "not all of" },
    severities: { error: "error", warning: "warning", advice: "advice" },
    eventFile: "event",
  },
  fr: {
    playground: "bac à sable",
    tagline: "Écrivez ou choisissez des déclencheurs Zendesk, lancez-les sur une mise à jour, voyez pourquoi ils se sont déclenchés. Rien ne quitte ce serveur.",
    rules: "Règles",
    pickRecipe: "Recette",
    choose: "— choisir —",
    importTitle: "Importer un export Zendesk",
    importHelp: "Collez ce que renvoie GET /api/v2/triggers ; les règles remplacent celles du dessus.",
    importButton: "Importer",
    event: "Événement de mise à jour",
    pickEvent: "Événement d'exemple",
    run: "Lancer",
    diagnostics: "Diagnostics",
    fired: "Déclencheurs exécutés",
    effects: "Effets",
    explanation: "Explication",
    english: "Recettes en anglais",
    french: "Recettes en français",
    running: "Exécution…",
    importing: "Import…",
    ran: (n) => `${n} déclencheur${n > 1 ? "s" : ""} exécuté${n > 1 ? "s" : ""}.`,
    imported: (n) => `Importé ; ${n} problème${n > 1 ? "s" : ""} signalé${n > 1 ? "s" : ""}.`,
    noRun: "Les règles ont des erreurs : corrigez-les pour lancer l'événement.",
    badEvent: "L'événement est illisible.",
    failed: "Le serveur a refusé la requête :",
    noDiagnostics: "Aucun problème.",
    noFired: "Aucun déclencheur exécuté.",
    noEffects: "Aucun effet.",
    noExplanation: "Lancez un événement pour voir pourquoi chaque déclencheur s'est exécuté ou non.",
    skipped: "Aucun déclencheur n'a tourné :",
    line: "ligne",
    pass: "Passe",
    saw: "vu",
    none: "(aucune)",
    verdicts: { fired: "exécuté", not_matched: "non satisfait", already_fired: "déjà exécuté", blocked: "non évalué" },
    groups: { all: "toutes", any: "au moins une", not: "pas toutes" },
    severities: { error: "erreur", warning: "avertissement", advice: "conseil" },
    eventFile: "événement",
  },
};

const $ = (id) => document.getElementById(id);

const state = {
  lang: document.documentElement.lang === "fr" ? "fr" : "en",
  // The name the rules are sent under: the picked recipe's, or a neutral one.
  rulesName: "rules.declic",
  samples: { recipes: [], events: [] },
  // The last response, kept so that a language switch can redraw it.
  last: null,
};

const t = (key) => TEXT[state.lang][key];

/** A text area with line numbers beside it, and marks on the lines that have problems. */
class Editor {
  constructor(textarea, gutter) {
    this.textarea = textarea;
    this.gutter = gutter;
    this.marks = new Map();
    textarea.addEventListener("input", () => this.draw());
    textarea.addEventListener("scroll", () => {
      gutter.scrollTop = textarea.scrollTop;
    });
    this.draw();
  }

  set(text) {
    this.textarea.value = text;
    this.textarea.scrollTop = 0;
    this.draw();
  }

  /** Marks lines: `marks` maps a 1-based line to its worst severity and its messages. */
  mark(marks) {
    this.marks = marks;
    this.draw();
  }

  draw() {
    const count = this.textarea.value.split("\n").length;
    const lines = document.createDocumentFragment();
    for (let n = 1; n <= count; n++) {
      const div = document.createElement("div");
      div.textContent = n;
      div.dataset.line = n;
      const mark = this.marks.get(n);
      if (mark) {
        div.className = mark.severity;
        div.title = mark.messages.join("\n");
      }
      lines.appendChild(div);
    }
    // Room to scroll the last line as far as the text area does.
    lines.appendChild(document.createElement("div"));
    this.gutter.replaceChildren(lines);
    this.gutter.scrollTop = this.textarea.scrollTop;
  }

  /** Selects line `n` and scrolls it into view. */
  select(n) {
    const lines = this.textarea.value.split("\n");
    const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
    const end = start + (lines[n - 1] || "").length;
    this.textarea.focus();
    this.textarea.setSelectionRange(start, end);
    const height = this.textarea.scrollHeight / Math.max(lines.length, 1);
    this.textarea.scrollTop = Math.max(0, (n - 5) * height);
  }
}

const editors = {};

const SEVERITY_RANK = { advice: 1, warning: 2, error: 3 };

/** The marks of `problems` (each with `line`, `severity`, `message`) by line. */
function marksOf(problems) {
  const marks = new Map();
  for (const p of problems) {
    if (!p.line) continue;
    const mark = marks.get(p.line) || { severity: "advice", messages: [] };
    if (SEVERITY_RANK[p.severity] > SEVERITY_RANK[mark.severity]) mark.severity = p.severity;
    mark.messages.push(`${p.code}: ${p.message}`);
    marks.set(p.line, mark);
  }
  return marks;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.dataset[k.slice(5)] = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) node.append(c);
  }
  return node;
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  }
  fillRecipes();
  if (state.last) show(state.last);
}

function fillRecipes() {
  const select = $("recipe");
  const chosen = select.value;
  const first = select.options[0];
  select.replaceChildren(first);
  // The recipes of the page's language come first.
  const order = state.lang === "fr" ? ["fr", "en"] : ["en", "fr"];
  for (const lang of order) {
    const group = el("optgroup", { label: lang === "fr" ? t("french") : t("english") });
    for (const r of state.samples.recipes.filter((r) => r.lang === lang)) {
      group.append(el("option", { value: r.name }, r.name));
    }
    if (group.children.length) select.append(group);
  }
  select.value = chosen;
}

function fillEvents() {
  const select = $("event-sample");
  for (const e of state.samples.events) {
    select.append(el("option", { value: e.name }, e.name));
  }
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ code: String(response.status), message: response.statusText }));
  // The server's errors come as {"error": {"code", "message"}}.
  if (!response.ok) throw data.error || data;
  return data;
}

function status(text, failed) {
  $("status").textContent = text;
  $("status").className = failed ? "failed" : "";
}

async function run() {
  status(t("running"));
  try {
    const data = await post("/v1/playground/run", {
      files: { [state.rulesName]: editors.rules.textarea.value },
      event: editors.event.textarea.value,
    });
    state.last = data;
    show(data);
  } catch (e) {
    status(`${t("failed")} ${e.code}: ${e.message}`, true);
  }
}

async function importExport() {
  status(t("importing"));
  try {
    const data = await post("/v1/playground/import", { export: $("export").value, lang: state.lang });
    const names = Object.keys(data.files);
    state.rulesName = names[0] || "rules.declic";
    editors.rules.set(names.map((n) => data.files[n]).join("\n"));
    $("recipe").value = "";
    state.last = { diagnostics: data.diagnostics, outcome: null, explanation: null, event_error: null };
    show(state.last);
    status(t("imported")(data.diagnostics.length));
  } catch (e) {
    status(`${t("failed")} ${e.code}: ${e.message}`, true);
  }
}

/** Draws a response of the run API: diagnostics, then the outcome and explanation. */
function show(data) {
  const problems = data.diagnostics.filter((d) => !d.file || d.file === state.rulesName);
  editors.rules.mark(marksOf(problems));
  const eventProblem = data.event_error ? [{ ...data.event_error, severity: "error" }] : [];
  editors.event.mark(marksOf(eventProblem));
  showDiagnostics(data.diagnostics, data.event_error);
  showFired(data.outcome);
  showEffects(data.outcome);
  showExplanation(data.explanation, data.outcome);
  if (data.event_error) status(t("badEvent"), true);
  else if (data.outcome) status(t("ran")(data.outcome.fired.length));
  else if (data.diagnostics.some((d) => d.severity === "error")) status(t("noRun"), true);
}

function showDiagnostics(diagnostics, eventError) {
  const list = $("diagnostics");
  const items = diagnostics.map((d) => diagnosticItem(d, "rules"));
  if (eventError) items.push(diagnosticItem({ ...eventError, severity: "error", file: t("eventFile") }, "event"));
  if (!items.length) items.push(el("li", { class: "empty" }, t("noDiagnostics")));
  list.replaceChildren(...items);
}

function diagnosticItem(d, editor) {
  const where = d.line ? `${t("line")} ${d.line}${d.column ? ":" + d.column : ""}` : d.file || "";
  const item = el(
    "li",
    { class: d.severity, "data-code": d.code, "data-line": d.line || "", "data-editor": editor },
    el("span", { class: "severity" }, t("severities")[d.severity] || d.severity),
    " ",
    el("span", { class: "where" }, where),
    " ",
    el("span", { class: "code" }, d.code),
    " ",
    el("span", { class: "message" }, d.message + (d.path ? ` (${d.path})` : "")),
    d.label ? el("span", { class: "help" }, d.label) : null,
    d.help ? el("span", { class: "help" }, d.help) : null,
  );
  if (d.line) item.addEventListener("click", () => editors[editor].select(d.line));
  return item;
}

function showFired(outcome) {
  const list = $("fired");
  const fired = outcome ? outcome.fired : [];
  const items = fired.map((f) =>
    el(
      "li",
      { "data-trigger": f.trigger },
      el("span", { class: "title" }, f.trigger),
      ` (${t("pass").toLowerCase()} ${f.pass})`,
      el("ul", { class: "changes" }, ...(f.changes || []).map((c) => el("li", {}, changeText(c)))),
    ),
  );
  if (!items.length) {
    const why = outcome && outcome.skipped ? `${t("skipped")} ${outcome.skipped.message}` : t("noFired");
    items.push(el("li", { class: "empty" }, why));
  }
  list.replaceChildren(...items);
}

function value(v) {
  if (v === null || v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function changeText(c) {
  if (c.added || c.removed) {
    const added = (c.added || []).map((x) => "+" + x);
    const removed = (c.removed || []).map((x) => "−" + x);
    return `${c.field}: ${added.concat(removed).join(" ")}`;
  }
  return `${c.field}: ${value(c.from)} → ${value(c.to)}`;
}

function showEffects(outcome) {
  const effects = outcome ? outcome.effects || [] : [];
  const items = effects.map((e) => {
    const details = Object.entries(e)
      .filter(([k]) => k !== "type" && k !== "trigger")
      .map(([k, v]) => `${k}: ${value(v)}`)
      .join("; ");
    return el("li", { "data-type": e.type }, el("strong", {}, e.type), e.trigger ? ` (${e.trigger})` : "", details ? ` — ${details}` : "");
  });
  if (!items.length) items.push(el("li", { class: "empty" }, t("noEffects")));
  $("effects").replaceChildren(...items);
}

function showExplanation(explanation, outcome) {
  const box = $("explanation");
  if (!explanation) {
    box.replaceChildren(el("p", { class: "empty" }, t("noExplanation")));
    return;
  }
  const passes = explanation.passes.map((pass) =>
    el("div", { class: "pass" }, el("h3", {}, `${t("pass")} ${pass.number}`), ...pass.triggers.map(looked)),
  );
  if (outcome && outcome.skipped) passes.push(el("p", {}, `${t("skipped")} ${outcome.skipped.message}`));
  box.replaceChildren(...passes);
}

function looked(l) {
  // A trigger that was not evaluated says why in `reason`.
  const word = l.verdict;
  const known = t("verdicts")[word];
  const detail = l.reason ? ` (${value(l.reason)})` : "";
  const css = word === "fired" || word === "not_matched" ? word : "other";
  return el(
    "div",
    { class: "looked" },
    el("span", { class: "verdict-" + css }, (known || word) + detail),
    " ",
    l.trigger,
    l.conditions ? el("ul", { class: "tree" }, node(l.conditions)) : null,
  );
}

function node(n) {
  const mark = el("span", { class: n.holds ? "holds" : "fails" }, n.holds ? "✓ " : "✗ ");
  if (n.kind === "test") {
    return el("li", {}, mark, n.test, " ", el("span", { class: "seen" }, `[${t("saw")}: ${n.seen ?? t("none")}]`));
  }
  return el("li", {}, mark, t("groups")[n.kind] || n.kind, el("ul", { class: "tree" }, ...n.members.map(node)));
}

async function start() {
  editors.rules = new Editor($("rules"), $("rules-gutter"));
  editors.event = new Editor($("event"), $("event-gutter"));
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.addEventListener("click", () => {
      state.lang = b.dataset.lang;
      translate();
    });
  }
  $("recipe").addEventListener("change", (e) => {
    const recipe = state.samples.recipes.find((r) => r.name === e.target.value);
    if (!recipe) return;
    state.rulesName = recipe.name;
    editors.rules.set(recipe.text);
  });
  $("event-sample").addEventListener("change", (e) => {
    const sample = state.samples.events.find((s) => s.name === e.target.value);
    if (sample) editors.event.set(sample.text);
  });
  $("run").addEventListener("click", run);
  $("import").addEventListener("click", importExport);
  for (const area of [$("rules"), $("event")]) {
    area.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
    });
  }
  if ((navigator.language || "").startsWith("fr")) state.lang = "fr";
  try {
    const response = await fetch("/v1/playground/samples");
    state.samples = await response.json();
  } catch (e) {
    status(`${t("failed")} ${e}`, true);
  }
  fillEvents();
  translate();
  document.body.dataset.ready = "true";
}

start();
