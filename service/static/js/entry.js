// One entry: every rendering with its status, source and quote; notes, members, variants, related entries.

import { getEntry, getReading, getSources } from "./api.js";
import { copyButton } from "./copy.js";
import { $, add, badge, clear, h, hanRuns, prose, safeUrl } from "./dom.js";
import { current as script, otherForm, zh } from "./script.js";
import { usageSection } from "./usage.js";
import { absolute, readUrl, urlFor } from "./views.js";

const RELATION_LABELS = {
  see_also: "see also",
  broader: "broader term",
  narrower: "narrower term",
  part_of: "part of",
  has_part: "has part",
};
const VARIANT_LABELS = {
  short: ["short form", "简称"],
  full: ["full form", "全称"],
  alias: ["alias", "又称"],
  former: ["former name", "曾称"],
};

/** How the page says that a rendering is the curator's own. */
const CURATORS_TEXT = "The curator’s rendering: no cited source uses it; the note says why.";

let shown = { entry: null, sources: null };

const article = () => $("entry");

export const preferredOf = (entry) =>
  entry.renderings.find((r) => r.status === "preferred") || entry.renderings[0];

/** Load and show entry `id`; with `focus`, move to its heading (after a navigation, not on page load). */
export async function showEntry(id, focus) {
  const el = article();
  el.setAttribute("aria-busy", "true");
  if (shown.entry?.id !== id) {
    clear(el);
    el.appendChild(h("p", { class: "status" }, "Loading…"));
  }
  try {
    const [entry, sources] = await Promise.all([getEntry(id), getSources()]);
    if (readUrl().id !== id) return;
    shown = { entry, sources };
    render();
    document.title = `${entry.zh} ${preferredOf(entry).en}: Glossary`;
  } catch (err) {
    if (readUrl().id !== id) return;
    shown = { entry: null, sources: null };
    clear(el);
    const message =
      err.status === 404 ? `There is no entry “${id}”.` : `Could not load the entry: ${err.message}`;
    el.appendChild(h("h2", { id: "entry-title", class: "entry-title-missing", tabindex: "-1" }, message));
    el.appendChild(h("p", null, h("a", { href: "./", "data-nav": "" }, "Search the glossary")));
    document.title = "Not found: Glossary";
  } finally {
    el.setAttribute("aria-busy", "false");
  }
  if (focus && readUrl().id === id) {
    window.scrollTo(0, 0);
    $("entry-title").focus();
  }
}

const section = (id, title, ...content) =>
  h("section", { class: "entry-section", "aria-labelledby": id }, h("h3", { id }, title), content);

/** Draw the entry on screen again (after a change of script, say). */
export function render() {
  const { entry, sources } = shown;
  if (!entry) return;
  const el = article();
  const { q } = readUrl();
  const preferred = preferredOf(entry);
  clear(el);

  if (q)
    el.appendChild(
      h(
        "p",
        { class: "back" },
        h("a", { href: urlFor({ view: "lookup", q }), "data-nav": "" }, `← Results for “${q}”`),
      ),
    );

  const title = zh(entry.zh, entry.zh_hant, "entry-title", "h2");
  title.id = "entry-title";
  title.setAttribute("tabindex", "-1");
  el.appendChild(
    h(
      "header",
      { class: "entry-head" },
      title,
      h(
        "p",
        { class: "entry-forms" },
        h("span", { class: "pinyin", lang: "zh-Latn-pinyin" }, entry.pinyin),
        otherForm(entry.zh, entry.zh_hant, "alt-form"),
      ),
      h(
        "p",
        { class: "entry-badges" },
        badge(entry.category, "category", "Category"),
        badge("curated", "layer-curated", "From the curated term base, with sources"),
        entry.zh_attested ? null : badge("Chinese supplied by the curator", "", entry.zh_note || null),
      ),
    ),
  );

  el.appendChild(
    h(
      "section",
      { class: "preferred-box", "aria-labelledby": "preferred-title" },
      h("h3", { id: "preferred-title" }, "Preferred rendering"),
      h(
        "p",
        { class: "preferred-row" },
        h("span", { class: "preferred-en", lang: "en" }, hanRuns(preferred.en)),
        copyButton(preferred.en, `the preferred rendering “${preferred.en}”`),
      ),
      officialRow(entry, preferred),
      preferred.attested === false
        ? h("p", { class: "preferred-curators" }, "Not attested in a cited source. ", prose(preferred.note || ""))
        : null,
    ),
  );

  const facts = [];
  if (entry.literal) facts.push(["Literally", h("span", { lang: "en" }, prose(entry.literal))]);
  if (entry.definition) facts.push(["Definition", h("span", { lang: "en" }, prose(entry.definition))]);
  for (const v of entry.zh_variants || []) {
    const pinyin = v.pinyin ? h("span", { class: "member-pinyin", lang: "zh-Latn-pinyin" }, v.pinyin) : null;
    facts.push([
      "Also written",
      [zh(v.zh, v.zh_hant, "variant-zh"), " ", pinyin, " (", variantLabel(v.type), ")"],
    ]);
  }
  if (!entry.zh_attested && entry.zh_note) facts.push(["About the Chinese", prose(entry.zh_note)]);
  if (entry.context) facts.push(["In context", contextItem(entry.context, sources)]);
  if (facts.length)
    el.appendChild(
      h(
        "dl",
        { class: "facts" },
        facts.map(([term, value]) => [h("dt", null, term), h("dd", null, value)]),
      ),
    );

  if (entry.members?.length) {
    el.appendChild(
      section(
        "members-title",
        `Members (${entry.members.length})`,
        h("ol", { class: "members" }, entry.members.map((m) => memberItem(m, sources))),
      ),
    );
  }
  const count = entry.renderings.length;
  el.appendChild(
    section(
      "renderings-title",
      count === 1 ? "Rendering" : `Renderings (${count})`,
      h(
        "ol",
        { class: "renderings" },
        entry.renderings.map((r, i) => renderingItem(r, sources, (entry.usage || [])[i])),
      ),
    ),
  );
  if (entry.notes?.length) {
    el.appendChild(
      section(
        "notes-title",
        "Translators’ and editors’ notes",
        h(
          "ul",
          { class: "notes" },
          entry.notes.map((n) => noteItem(n, sources)),
        ),
      ),
    );
  }
  if (entry.related?.length) {
    el.appendChild(
      section(
        "related-title",
        "Related entries",
        h("ul", { class: "related" }, entry.related.map(relatedItem)),
      ),
    );
  }

  el.appendChild(usageSection(entry.id, sources));

  const link = absolute(urlFor({ view: "entry", id: entry.id }));
  el.appendChild(
    h(
      "p",
      { class: "permalink" },
      "Link to this entry: ",
      h("a", { href: link, "data-nav": "" }, link),
      copyButton(link, "the link to this entry"),
    ),
  );
}

function variantLabel(type) {
  const label = VARIANT_LABELS[type];
  return label ? [label[0], " ", h("span", { lang: "zh-Hans" }, label[1])] : type;
}

/** A formula member; its traditional form and pinyin come from the pinyin endpoint when they arrive. */
function memberItem(m, sources) {
  const zhEl = h("span", { class: "member-zh", lang: "zh-Hans" }, m.zh);
  const pinyinEl = h("span", { class: "member-pinyin", lang: "zh-Latn-pinyin" }, m.pinyin || "");
  getReading(m.zh).then(
    (reading) => {
      if (script() === "hant" && reading.traditional) {
        zhEl.textContent = reading.traditional;
        zhEl.setAttribute("lang", "zh-Hant");
      }
      if (!m.pinyin && reading.pinyin) pinyinEl.textContent = reading.pinyin.marks;
    },
    () => {}, // the member still shows, without its reading
  );
  // A member's Chinese or English that no source prints is the curator's: say so, as for the entry itself.
  const supplied = [
    m.zh_attested === false ? "Chinese supplied by the curator" : null,
    m.en_attested === false ? "English is the curator's gloss" : null,
  ].filter(Boolean);
  return h(
    "li",
    null,
    zhEl,
    pinyinEl,
    h("span", { class: "member-en", lang: "en" }, prose(m.en)),
    supplied.length ? h("span", { class: "member-supplied" }, ` (${supplied.join("; ")})`) : null,
    m.entry
      ? h(
          "a",
          { class: "member-entry", href: urlFor({ view: "entry", id: m.entry }), "data-nav": "", "aria-label": `The entry for ${m.zh}` },
          "its entry",
        )
      : null,
    m.source ? h("span", { class: "member-source" }, "Source: ", citation(m.source, sources)) : null,
  );
}

/** The entry's Chinese context sentence, the source's English of it, and the source. */
function contextItem(c, sources) {
  return [
    h("q", { class: "context-zh", lang: "zh-Hans" }, c.zh),
    c.en ? [" ", h("q", { class: "context-en", lang: "en" }, prose(c.en))] : null,
    " ",
    h("span", { class: "context-source" }, "Source: ", citation(c.source, sources)),
  ];
}

function citation(sourceId, sources) {
  const s = sources?.get(sourceId);
  if (!s) return h("span", { class: "citation" }, h("cite", null, sourceId));
  const url = s.url ? safeUrl(s.url) : null;
  return h(
    "span",
    { class: "citation" },
    h("cite", { lang: "en" }, hanRuns(s.title)),
    ", ",
    s.publisher,
    s.date ? `, ${s.date}` : "",
    ".",
    url
      ? [
          " ",
          h(
            "a",
            { href: url, rel: "noopener noreferrer" },
            new URL(url).host,
            h("span", { class: "visually-hidden" }, " (link to the source)"),
          ),
        ]
      : null,
  );
}

/** The government's own English, where it differs from the house's choice (the `official` profile). */
function officialRow(entry, preferred) {
  const official = (entry.profiles || {}).official;
  if (!official || official === preferred.en) return null;
  return h(
    "p",
    { class: "official-row" },
    h("span", { class: "official-label" }, "In the government’s own English: "),
    h("span", { class: "official-en", lang: "en" }, hanRuns(official)),
    " ",
    copyButton(official, `the government’s rendering “${official}”`),
    h(
      "span",
      { class: "official-why" },
      " (preferred with the official profile: the rendering official sources use, most recent first)",
    ),
  );
}

/** Which publishers use a rendering and since when, oldest first. */
function usageLine(usage) {
  if (!usage || !usage.attested_by || !usage.attested_by.length) return null;
  const first = new Map();
  for (const a of usage.attested_by) if (!first.has(a.publisher)) first.set(a.publisher, a);
  const parts = [...first.values()].map(
    (a) => `${a.publisher}${a.kind === "official" ? " (official)" : ""} since ${a.date}`,
  );
  return h("p", { class: "rendering-usage" }, "Used by ", parts.join("; "), ".");
}

function renderingItem(r, sources, usage) {
  const attestations = (r.sources || []).map((sourceId, i) => {
    const quote = i === 0 ? r.quote : (r.quotes || {})[sourceId];
    return h(
      "figure",
      { class: "attestation" },
      quote ? h("blockquote", { lang: "en" }, prose(quote)) : null,
      h("figcaption", null, "Source: ", citation(sourceId, sources)),
    );
  });
  return h(
    "li",
    { class: "rendering", "data-status": r.status },
    h(
      "div",
      { class: "rendering-head" },
      h("h4", { class: "rendering-en", lang: "en" }, hanRuns(r.en)),
      badge(r.status, `status-${r.status}`, "Status of this rendering"),
      r.attested === false ? badge("curator’s rendering", "curators", CURATORS_TEXT) : null,
      r.proper_noun ? badge("proper noun") : null,
      r.generic ? badge("generic", "", "Too generic to check alone: matched only in bilingual drafts") : null,
      copyButton(r.en),
    ),
    r.note ? h("p", { class: "rendering-note", lang: "en" }, prose(r.note)) : null,
    usageLine(usage),
    r.attested === false ? h("p", { class: "rendering-curators" }, CURATORS_TEXT) : attestations,
  );
}

function noteItem(n, sources) {
  return h(
    "li",
    { class: "note" },
    h("h4", { class: "note-label" }, n.label),
    h("p", { class: "note-text", lang: "en" }, prose(n.text)),
    h("p", { class: "note-source" }, "Source: ", citation(n.source, sources)),
  );
}

/** A link to a related entry, named by its id until the entry itself arrives. */
function relatedItem(rel) {
  const link = h("a", { href: urlFor({ view: "entry", id: rel.id }), "data-nav": "" }, rel.id);
  getEntry(rel.id).then(
    (other) => {
      clear(link);
      add(link, [
        zh(other.zh, other.zh_hant),
        " ",
        h("span", { lang: "en" }, hanRuns(preferredOf(other).en)),
      ]);
    },
    () => {}, // the id stays as the link text
  );
  return h(
    "li",
    null,
    link,
    " ",
    h("span", { class: "relation" }, `(${RELATION_LABELS[rel.type] || rel.type})`),
  );
}
