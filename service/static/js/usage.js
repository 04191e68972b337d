// An entry's usage in the source texts (GET terms/{id}/usage): each rendering and each Chinese form, counted
// by publisher and year, with keyword-in-context lines; Chinese lines show the English the source gives.

import { api } from "./api.js";
import { badge, h, hanRuns, textLang } from "./dom.js";

const LINES = 8; // lines shown per rendering or form at first; the counts count all
const ALL = 1000; // the most the API lists (glossary usage --limit lists more)

const plural = (n, one, many) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The usage section of entry `id`: a placeholder now, filled when the figures arrive. */
export function usageSection(id, sources) {
  const body = h("div", { class: "usage-body" }, h("p", { class: "status" }, "Counting uses in the sources…"));
  const el = h(
    "section",
    { class: "entry-section usage", id: "usage", "aria-labelledby": "usage-title", "aria-busy": "true" },
    h("h3", { id: "usage-title" }, "In the sources"),
    body,
  );
  const load = (limit) => {
    el.setAttribute("aria-busy", "true");
    api(`terms/${encodeURIComponent(id)}/usage?limit=${limit}`)
      .then((usage) => {
        body.replaceChildren(...content(usage, sources, limit < ALL ? () => load(ALL) : null));
      })
      .catch((err) => {
        body.replaceChildren(h("p", { class: "status" }, `Could not count the uses: ${err.message}`));
      })
      .finally(() => el.setAttribute("aria-busy", "false"));
  };
  load(LINES);
  return el;
}

function content(usage, sources, showAll) {
  const out = [
    h(
      "p",
      { class: "usage-summary" },
      `Every use in ${plural(usage.sources, "source text", "source texts")} ` +
        `(${plural(usage.segments, "sentence", "sentences")}), as the draft checker matches a term.`,
    ),
  ];
  for (const r of usage.renderings) {
    const head = [
      h("span", { class: "usage-term", lang: "en" }, hanRuns(r.en)),
      " ",
      badge(r.status, `status-${r.status}`, "Status of this rendering"),
      " ",
      h("span", { class: "usage-count" }, plural(r.count, "use", "uses")),
    ];
    out.push(group("rendering", head, r, sources, false, showAll));
  }
  for (const c of usage.chinese) {
    const note = c.unrecorded
      ? `; ${c.unrecorded} with English in which none of these renderings stands`
      : "";
    const head = [
      h("span", { class: "usage-term", lang: "zh-Hans" }, c.zh),
      " ",
      h("span", { class: "usage-count" }, plural(c.count, "use", "uses") + note),
    ];
    out.push(group("chinese", head, c, sources, true, showAll));
  }
  return out;
}

function group(kind, head, figures, sources, chinese, showAll) {
  const el = h("div", { class: `usage-group usage-${kind}` }, h("h4", null, head));
  if (!figures.count) return el;
  el.appendChild(
    h(
      "ul",
      { class: "usage-tally" },
      figures.by_publisher.map((t) =>
        h("li", null, `${t.publisher} ${t.year}: `, h("strong", null, String(t.count))),
      ),
    ),
  );
  el.appendChild(h("ol", { class: "kwic" }, figures.lines.map((line) => kwicLine(line, sources, chinese))));
  const more = figures.count - figures.lines.length;
  if (more > 0) {
    const button = showAll
      ? h("button", { type: "button", class: "usage-all" }, `Show all ${figures.count.toLocaleString("en")}`)
      : null;
    if (button) button.addEventListener("click", showAll);
    el.appendChild(h("p", { class: "usage-more" }, `… and ${more} more. `, button));
  }
  return el;
}

function kwicLine(line, sources, chinese) {
  const source = sources?.get(line.source);
  const lang = textLang(line.match);
  const item = h(
    "li",
    { class: "kwic-line" },
    h(
      "p",
      { class: "kwic-text", lang },
      h("span", { class: "kwic-left" }, line.left ? "…" + line.left : ""),
      h("mark", null, line.match),
      h("span", { class: "kwic-right" }, line.right ? line.right + "…" : ""),
    ),
    h(
      "p",
      { class: "kwic-source" },
      source ? `${source.title} (${source.publisher}, ${source.date})` : line.source,
    ),
  );
  if (chinese && line.english) {
    const found = line.renderings.length
      ? `renders it: ${line.renderings.join("; ")}`
      : "none of the entry’s renderings";
    item.appendChild(
      h(
        "p",
        { class: line.renderings.length ? "kwic-en" : "kwic-en kwic-unrecorded" },
        h("span", { class: "kwic-en-label" }, `English (${found}): `),
        h("span", { lang: "en" }, hanRuns(line.english)),
      ),
    );
  }
  return item;
}
