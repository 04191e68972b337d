// Search as you type: debounced, one request in flight (older ones aborted), results announced.

import { search } from "./api.js";
import { $, badge, clear, h, hanRuns, setStatus, snippetNodes } from "./dom.js";
import { otherForm, zh } from "./script.js";
import { go, readUrl, showView, urlFor } from "./views.js";

const DEBOUNCE_MS = 180;
const PAGE_SIZE = 20;
const FIELD_LABELS = {
  zh: "Chinese",
  zh_hant: "traditional",
  zh_variants: "also written",
  pinyin: "pinyin",
  renderings: "rendering",
  senses: "dictionary sense",
  members: "member",
  definition: "definition",
  literal: "literally",
  notes: "note",
};

let timer = 0;
let inFlight = null;
let shown = { q: null, data: null }; // the results on screen

const input = () => $("q");
const list = () => $("results");

export const titleFor = (q) => (q ? `“${q}”: Glossary` : "Glossary: Chinese–English policy terms");

/** After a key in the search box: search once typing pauses. */
export function schedule() {
  clearTimeout(timer);
  timer = setTimeout(commit, DEBOUNCE_MS);
}

export const pending = () => Boolean(timer);

export function cancel() {
  clearTimeout(timer);
  timer = 0;
}

/** Search for what is typed now, and put it in the URL: one history step per visit to the results. */
export function commit() {
  cancel();
  const q = input().value.trim();
  go(urlFor({ view: "lookup", q }), readUrl().view === "lookup");
  showView("lookup");
  document.title = titleFor(q);
  return run(q);
}

/** Show the results for `q` (at once if they are on screen already). */
export async function run(q) {
  if (inFlight) inFlight.abort();
  inFlight = null;
  const status = $("search-status");
  if (!q) {
    shown = { q: "", data: null };
    clear(list());
    setStatus(status, "");
    return;
  }
  if (shown.q === q && shown.data) return;
  const controller = new AbortController();
  inFlight = controller;
  list().setAttribute("aria-busy", "true");
  try {
    const data = await search({ q, limit: PAGE_SIZE }, controller.signal);
    if (controller !== inFlight) return;
    shown = { q, data };
    render();
  } catch (err) {
    if (err.name === "AbortError" || controller !== inFlight) return;
    shown = { q: null, data: null };
    clear(list());
    setStatus(status, `Search failed: ${err.message}`, true);
  } finally {
    if (controller === inFlight) {
      list().removeAttribute("aria-busy");
      inFlight = null;
    }
  }
}

function countText({ total, results }, q) {
  if (!total) return `No results for “${q}”. Try pinyin without tones, initials, or an English word.`;
  const words = total === 1 ? "1 result" : `${total} results`;
  return results.length < total ? `${words} for “${q}”, showing ${results.length}.` : `${words} for “${q}”.`;
}

/** Draw the results on screen again (after a change of script, say). */
export function render() {
  const { q, data } = shown;
  if (!data) return;
  const ol = list();
  clear(ol);
  for (const result of data.results) ol.appendChild(h("li", null, card(result, q)));
  if (data.results.length < data.total) {
    ol.appendChild(
      h(
        "li",
        { class: "more" },
        h("button", { type: "button", class: "button", "data-more": "" }, "Show more results"),
      ),
    );
  }
  setStatus($("search-status"), countText(data, q));
}

/** The next page of results, after the "Show more" button. */
export async function showMore(button) {
  const { q, data } = shown;
  if (!data) return;
  button.disabled = true;
  try {
    const more = await search({ q, limit: PAGE_SIZE, offset: data.results.length });
    if (shown.q !== q) return;
    const firstNew = data.results.length;
    data.results = data.results.concat(more.results);
    render();
    cards()[firstNew]?.focus();
  } catch (err) {
    button.disabled = false;
    setStatus($("search-status"), `Could not load more: ${err.message}`, true);
  }
}

function card(r, q) {
  const curated = (r.layer || "curated") === "curated";
  const match = r.match || {};
  // A match in the preferred rendering is marked there; any other match is shown under it, labelled.
  const inPreferred = r.snippet && match.field === "renderings" && match.form === r.preferred;
  const body = [
    h(
      "span",
      { class: "result-head" },
      zh(r.zh, r.zh_hant, "result-zh"),
      otherForm(r.zh, r.zh_hant, "result-alt"),
      r.pinyin ? h("span", { class: "result-pinyin", lang: "zh-Latn-pinyin" }, r.pinyin) : null,
    ),
    r.preferred
      ? h(
          "span",
          { class: "result-en", lang: "en" },
          inPreferred ? snippetNodes(r.snippet) : hanRuns(r.preferred),
        )
      : null,
    h(
      "span",
      { class: "result-foot" },
      r.category ? badge(r.category, "category", "Category") : null,
      curated ? badge("preferred", "status-preferred", "The rendering shown is the preferred one") : null,
      curated
        ? badge("curated", "layer-curated", "From the curated term base, with sources")
        : badge("reference", "layer-reference", "From the reference dictionary (CC-CEDICT), not curated"),
      r.snippet && !inPreferred
        ? h(
            "span",
            { class: "snippet" },
            h("span", { class: "snippet-field" }, `${FIELD_LABELS[match.field] || match.field}: `),
            snippetNodes(r.snippet),
          )
        : null,
    ),
  ];
  if (!curated) {
    // A dictionary line has no entry page: the card is all there is, focusable so the arrow keys reach it.
    return h("div", { class: "result reference", tabindex: "0", "data-id": r.id }, body);
  }
  return h(
    "a",
    { class: "result", href: urlFor({ view: "entry", id: r.id, q }), "data-nav": "", "data-id": r.id },
    body,
  );
}

export const cards = () => Array.from(list().querySelectorAll(".result"));

/** Focus the result for entry `id`, if it is on screen. */
export function focusResult(id) {
  const found = id && cards().find((el) => el.getAttribute("data-id") === id);
  if (found) found.focus();
  return Boolean(found);
}

/** Arrow keys, Home, End and Escape in the results. */
export function onResultsKey(event) {
  const all = cards();
  const i = all.indexOf(document.activeElement);
  if (i < 0) return;
  const next = {
    ArrowDown: all[Math.min(i + 1, all.length - 1)],
    ArrowUp: i === 0 ? input() : all[i - 1],
    Home: all[0],
    End: all[all.length - 1],
    Escape: input(),
  }[event.key];
  if (!next) return;
  event.preventDefault();
  next.focus();
}

/** ↓ in the search box steps into the results, searching first if the typed query is not yet shown. */
export async function onInputKey(event) {
  if (event.key !== "ArrowDown") return;
  event.preventDefault();
  if (pending() || readUrl().view !== "lookup") await commit();
  cards()[0]?.focus();
}
