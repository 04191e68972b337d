// The lookup page: routing (the URL says what is shown), the page-wide keys and clicks, and start-up.
// Plain JavaScript modules, no build step, nothing loaded from outside; see dom.js on text, never HTML.

import * as check from "./check.js";
import { onCopy } from "./copy.js";
import { $, announce } from "./dom.js";
import * as entry from "./entry.js";
import { current as currentScript, setScript } from "./script.js";
import * as search from "./search.js";
import { go, markShown, moved, readUrl, showView, urlFor } from "./views.js";

let lastOpened = null; // the entry last shown, so that going back to the results focuses its card

/** Show what the URL says: on load (`focus` false), after a link on the page, and on back and forward. */
async function route(focus) {
  const state = readUrl();
  markShown();
  search.cancel();
  showView(state.view);
  const input = $("q");
  if (input.value.trim() !== state.q) input.value = state.q;
  if (state.view === "check") {
    document.title = "Check a draft: Glossary";
    check.offerSources();
    if (focus) $("check-title").focus();
    return;
  }
  if (state.view === "entry") {
    lastOpened = state.id;
    await Promise.all([entry.showEntry(state.id, focus), search.run(state.q)]);
    return;
  }
  document.title = search.titleFor(state.q);
  await search.run(state.q);
  if (focus && !search.focusResult(lastOpened)) input.focus();
}

function navigate(url) {
  go(url);
  return route(true);
}

/** Is the reader typing into `el` (so that "/" is a character, not a shortcut)? */
function isTypingIn(el) {
  if (!el || !el.tagName) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  return el.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes(el.type);
}

function onScriptChange(event) {
  setScript(event.target.value, true);
  search.render();
  if (readUrl().view === "entry") entry.render();
  announce(currentScript() === "hant" ? "Showing traditional characters." : "Showing simplified characters.");
}

function onClick(event) {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const copy = target.closest("button.copy");
  if (copy) return void onCopy(copy);
  const more = target.closest("button[data-more]");
  if (more) return void search.showMore(more);
  // Links between views stay on the page; with a modifier key they open a tab as links do.
  const link = target.closest("a[data-nav]");
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.href);
}

function onKey(event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTypingIn(event.target)) return;
  event.preventDefault();
  const input = $("q");
  if (readUrl().view === "check") navigate(urlFor({ view: "lookup", q: input.value.trim() }));
  input.focus();
  input.select();
}

function init() {
  setScript(currentScript(), false);
  const input = $("q");
  input.addEventListener("input", search.schedule);
  input.addEventListener("keydown", search.onInputKey);
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    search.commit();
  });
  $("results").addEventListener("keydown", search.onResultsKey);

  for (const radio of document.querySelectorAll('input[name="script"]'))
    radio.addEventListener("change", onScriptChange);
  for (const radio of document.querySelectorAll('input[name="mode"]'))
    radio.addEventListener("change", check.onModeChange);
  check.restoreDraft();
  $("check-form").addEventListener("input", check.saveDraft);
  $("check-form").addEventListener("change", check.saveDraft);
  $("check-form").addEventListener("submit", (event) => {
    event.preventDefault();
    check.runCheck();
  });
  $("check-form").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
      event.preventDefault();
      check.runCheck();
    }
  });

  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  window.addEventListener("popstate", () => {
    if (moved()) route(true); // following a finding's #link pops state too, without a change of view
  });

  route(false).finally(() => {
    // On a desktop the search box is where a reader starts; on a phone, focusing it would pop the keyboard.
    if (readUrl().view === "lookup" && !input.value && matchMedia("(pointer: fine)").matches) input.focus();
    document.documentElement.setAttribute("data-loaded", ""); // for the browser tests: the first view is shown
  });
}

init(); // modules run after the document is parsed
