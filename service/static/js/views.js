// The URL is the state of the page: `?q=…` (results), `?id=…` (an entry, with the search it came from in
// `&q=…`), `?view=check` (the check panel). Links and back/forward change it; main.js shows what it says.

import { $ } from "./dom.js";

export function readUrl() {
  const params = new URLSearchParams(location.search);
  const id = params.get("id") || "";
  const view = params.get("view") === "check" ? "check" : id ? "entry" : "lookup";
  return { view, id, q: (params.get("q") || "").trim() };
}

/** The relative URL of a state, e.g. `./?id=four-orientations&q=sgmx`. */
export function urlFor({ view, id, q }) {
  const params = new URLSearchParams();
  if (view === "check") params.set("view", "check");
  if (id) params.set("id", id);
  if (q) params.set("q", q);
  const query = params.toString();
  return `./${query ? `?${query}` : ""}`;
}

export const absolute = (url) => new URL(url, location.href).href;

/** Show one view (CSS does the showing, from body[data-view]) and mark its navigation link. */
export function showView(view) {
  document.body.setAttribute("data-view", view);
  $("nav-lookup").removeAttribute("aria-current");
  $("nav-check").removeAttribute("aria-current");
  $(view === "check" ? "nav-check" : "nav-lookup").setAttribute("aria-current", "page");
}

let shown = null; // the query string of what is on screen

/** Change the URL (one history step, or none with `replace`) for a view about to be shown. */
export function go(url, replace) {
  const href = absolute(url);
  if (href !== location.href) history[replace ? "replaceState" : "pushState"](null, "", href);
  shown = location.search;
}

/** Note that the view for the current URL is on screen. */
export function markShown() {
  shown = location.search;
}

/** Has the URL moved to another view since? (Following a #link on the page pops state but stays put.) */
export const moved = () => location.search !== shown;
