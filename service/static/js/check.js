// The check panel: a draft (one text, or a source with its translation) sent to the checker, and its
// findings marked in the text (from code-point offsets) and listed with message and suggestion.

import { check, getSources } from "./api.js";
import { copyButton } from "./copy.js";
import { $, add, badge, clear, h, hanRuns, prose, setStatus, textLang } from "./dom.js";
import { urlFor } from "./views.js";

const KIND_LABELS = {
  term: "Term found",
  missing_rendering: "Missing rendering",
  deprecated_rendering: "Deprecated rendering",
  non_preferred_rendering: "Not the preferred rendering",
  inconsistent_rendering: "Inconsistent rendering",
  unlisted_rendering: "Rendering the base does not list",
  formula: "Formula",
};
const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };
const SEVERITY_LABELS = { error: "Error", warning: "Warning", info: "Info" };

let inFlight = null;

const mode = () => document.querySelector('input[name="mode"]:checked')?.value || "text";

/** Show the text box or the source and translation boxes, as the mode says. */
export function onModeChange() {
  const pair = mode() === "segments";
  $("check-single").hidden = pair;
  $("check-pair").hidden = !pair;
}

const DRAFT_KEY = "glossary.draft";
const FIELDS = ["check-text", "check-source", "check-target"];

/** Keep the draft for this tab's session, so that a reload or a visit to an entry does not lose it. */
export function saveDraft() {
  const saved = { mode: mode() };
  for (const id of FIELDS) saved[id] = $(id).value;
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(saved));
  } catch {
    // storage full or off: the draft is simply not kept
  }
}

/** Put back the draft kept by saveDraft, if any. */
export function restoreDraft() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
  } catch {
    return;
  }
  if (!saved) return;
  for (const id of FIELDS) if (typeof saved[id] === "string") $(id).value = saved[id];
  for (const radio of document.querySelectorAll('input[name="mode"]'))
    radio.checked = radio.value === saved.mode;
  onModeChange();
}

/** Offer the registry's sources as a filter, once, when the panel is first shown. */
export async function offerSources() {
  const box = $("check-sources-list");
  if (box.childElementCount) return;
  const sources = await getSources();
  if (box.childElementCount || !sources.size) return;
  for (const s of sources.values()) {
    add(
      box,
      h(
        "li",
        null,
        h(
          "label",
          null,
          h("input", { type: "checkbox", name: "source", value: s.id }),
          " ",
          h("span", { lang: "en" }, hanRuns(s.title)),
          h("span", { class: "source-meta" }, ` (${s.publisher}, ${s.date})`),
        ),
      ),
    );
  }
  $("check-sources").hidden = false;
}

const nonBlankLines = (text) => text.split("\n").filter((line) => line.trim());

/** What the form holds, as the request body and the draft to mark; null (and a message) when empty. */
function readDraft() {
  const status = $("check-status");
  let body;
  let draft;
  if (mode() === "text") {
    const text = $("check-text").value;
    if (!text.trim()) {
      setStatus(status, "Paste a draft to check first.", true);
      $("check-text").focus();
      return null;
    }
    body = { text };
    draft = { mode: "text", text };
  } else {
    const source = $("check-source").value;
    const target = $("check-target").value;
    if (!source.trim()) {
      setStatus(status, "Paste the Chinese source first.", true);
      $("check-source").focus();
      return null;
    }
    // Line by line when the non-blank lines pair up; otherwise the whole texts as one pair.
    const sourceLines = nonBlankLines(source);
    const targetLines = nonBlankLines(target);
    const paired = sourceLines.length === targetLines.length;
    const segments = paired
      ? sourceLines.map((line, i) => ({ source: line, target: targetLines[i] }))
      : [{ source, target }];
    body = { segments };
    draft = { mode: "segments", segments, paired };
  }
  if ($("check-strict").checked) body.strict = true;
  const sources = Array.from(document.querySelectorAll('input[name="source"]:checked'), (box) => box.value);
  if (sources.length) body.sources = sources;
  return { body, draft };
}

/** Check what the form holds and show the findings. */
export async function runCheck() {
  const request = readDraft();
  if (!request) return;
  if (inFlight) inFlight.abort();
  const controller = new AbortController();
  inFlight = controller;
  setStatus($("check-status"), "Checking…");
  try {
    const report = await check(request.body, controller.signal);
    if (controller === inFlight) render(request.draft, report);
  } catch (err) {
    if (err.name === "AbortError") return;
    $("check-results").hidden = true;
    setStatus($("check-status"), `The check failed: ${err.message}`, true);
  }
}

const hasSpan = (f, length) =>
  Number.isInteger(f.start) && Number.isInteger(f.end) && f.start < f.end && f.end <= length;

const worst = (findings) =>
  findings.reduce(
    (acc, f) => ((SEVERITY_RANK[f.severity] || 0) > (SEVERITY_RANK[acc] || 0) ? f.severity : acc),
    "info",
  );

/**
 * The text with each finding's span in a <mark>, followed by the finding numbers. Offsets count code
 * points, as the API does, so the text is sliced as an array of code points, never as UTF-16.
 */
function markedText(text, findings) {
  const chars = Array.from(text);
  const spans = findings
    .filter((f) => hasSpan(f, chars.length))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const groups = []; // overlapping spans share one mark
  for (const f of spans) {
    const last = groups[groups.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      last.findings.push(f);
    } else {
      groups.push({ start: f.start, end: f.end, findings: [f] });
    }
  }
  const out = [];
  let pos = 0;
  for (const g of groups) {
    if (g.start > pos) out.push(chars.slice(pos, g.start).join(""));
    const id = `mark-${g.findings[0].n}`;
    for (const f of g.findings) f.markId = id;
    const tip = g.findings
      .map(
        (f) =>
          (f.message || KIND_LABELS[f.kind] || f.kind) + (f.suggestion ? ` Suggestion: ${f.suggestion}` : ""),
      )
      .join("\n");
    const kinds = g.findings.map((f) => f.kind).join(" ");
    out.push(
      h(
        "mark",
        { class: `finding sev-${worst(g.findings)}`, id, title: tip, "data-kinds": kinds },
        chars.slice(g.start, g.end).join(""),
      ),
    );
    const refs = ["\u2060"]; // a word joiner: the numbers never wrap away from their mark
    g.findings.forEach((f, i) => {
      if (i) refs.push(",");
      refs.push(
        h(
          "a",
          {
            class: "fn",
            href: `#finding-${f.n}`,
            "aria-label": `finding ${f.n}: ${KIND_LABELS[f.kind] || f.kind}`,
          },
          String(f.n),
        ),
      );
    });
    out.push(h("sup", { class: "fns" }, refs));
    pos = g.end;
  }
  out.push(chars.slice(pos).join(""));
  return out;
}

function summaryText(findings) {
  if (!findings.length) return "No glossary terms found in this draft.";
  const count = (pred) => findings.filter(pred).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [
    plural(
      count((f) => f.severity === "error"),
      "error",
    ),
    plural(
      count((f) => f.severity === "warning"),
      "warning",
    ),
    `${plural(
      count((f) => f.kind === "term"),
      "term",
    )} found`,
  ];
  return `${plural(findings.length, "finding")}: ${parts.join(", ")}.`;
}

function render(draft, report) {
  const findings = (report.findings || []).map((f, i) => ({ n: i + 1, ...f }));
  const marked = $("check-marked");
  clear(marked);
  if (draft.mode === "text") {
    const lang = report.summary?.lang;
    marked.setAttribute("lang", lang === "zh" ? "zh-Hans" : lang === "en" ? "en" : textLang(draft.text));
    add(marked, markedText(draft.text, findings));
  } else {
    marked.removeAttribute("lang");
    const rows = draft.segments.map((seg, i) => {
      const mine = findings.filter((f) => (f.segment || 0) === i);
      const side = (name, label, lang, text) =>
        h(
          "div",
          { class: "segment-side" },
          h("span", { class: "side-label" }, label),
          h(
            "div",
            { lang },
            markedText(
              text,
              mine.filter((f) => f.side === name),
            ),
          ),
        );
      return h(
        "li",
        { class: "segment" },
        draft.segments.length > 1 ? h("span", { class: "segment-no" }, `Line ${i + 1}`) : null,
        side("source", "Source", "zh-Hans", seg.source),
        side("target", "Translation", "en", seg.target),
      );
    });
    marked.appendChild(h("ol", { class: "segments" }, rows));
  }
  // What to fix comes first; the terms found follow. Numbers stay those of the marks in the text.
  const box = $("check-findings");
  clear(box);
  const groups = [
    ["fix-title", "To fix", findings.filter((f) => f.severity !== "info")],
    ["found-title", "Terms found", findings.filter((f) => f.severity === "info")],
  ];
  for (const [id, title, items] of groups) {
    if (!items.length) continue;
    box.appendChild(h("h2", { id }, `${title} (${items.length})`));
    box.appendChild(
      h(
        "ol",
        { class: "findings", "aria-labelledby": id },
        items.map((f) => findingItem(f, draft)),
      ),
    );
  }
  $("check-results").hidden = false;
  let summary = summaryText(findings);
  if (draft.mode === "segments" && !draft.paired)
    summary += " The line counts differ, so the texts were checked as one pair.";
  setStatus($("check-status"), summary);
}

function findingItem(f, draft) {
  const severity = f.severity || "info";
  let where = null;
  if (draft.mode === "segments") {
    const line = draft.segments.length > 1 ? `line ${(f.segment || 0) + 1}, ` : "";
    where = line + (f.side === "target" ? "translation" : "source");
  }
  return h(
    "li",
    { class: "finding-item", id: `finding-${f.n}`, "data-kind": f.kind },
    h("span", { class: "finding-no" }, `${f.n}.`),
    h(
      "div",
      null,
      h(
        "p",
        { class: "finding-head" },
        badge(SEVERITY_LABELS[severity] || severity, `sev-${severity}`),
        h("span", { class: "finding-kind" }, KIND_LABELS[f.kind] || f.kind),
        f.text
          ? h(
              "span",
              {
                class: "finding-text",
                lang: { source: "zh-Hans", target: "en" }[f.side] || textLang(f.text),
              },
              "“",
              hanRuns(f.text),
              "”",
            )
          : null,
        where ? h("span", { class: "relation" }, `(${where})`) : null,
      ),
      f.message ? h("p", { class: "finding-message" }, prose(f.message)) : null,
      f.suggestion
        ? h(
            "p",
            { class: "finding-suggestion" },
            "Suggestion: ",
            h("strong", { lang: "en" }, hanRuns(f.suggestion)),
            " ",
            copyButton(f.suggestion),
          )
        : null,
      h(
        "p",
        { class: "finding-links" },
        f.term_id
          ? h("a", { href: urlFor({ view: "entry", id: f.term_id }), "data-nav": "" }, "Open the entry")
          : null,
        f.term_id && f.markId ? " · " : null,
        f.markId ? h("a", { href: `#${f.markId}` }, "Show in the draft") : null,
      ),
    ),
  );
}
