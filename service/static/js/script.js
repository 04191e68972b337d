// Simplified or traditional characters: the reader's choice, remembered in localStorage.

import { h } from "./dom.js";

const KEY = "glossary.script";

let script = "hans";
try {
  if (localStorage.getItem(KEY) === "hant") script = "hant";
} catch {
  // storage may be off (private mode): the default stands
}

export const current = () => script;

/** Apply a choice to the page (and remember it when the reader made it). */
export function setScript(value, remember) {
  script = value === "hant" ? "hant" : "hans";
  document.body.setAttribute("data-script", script);
  for (const radio of document.querySelectorAll('input[name="script"]'))
    radio.checked = radio.value === script;
  if (!remember) return;
  try {
    localStorage.setItem(KEY, script);
  } catch {
    // not remembered, still applied
  }
}

/** Chinese in the chosen script, with its lang; the simplified form when no traditional one is known. */
export function zh(simplified, traditional, cls, tag = "span") {
  const hant = script === "hant" && traditional;
  return h(tag, { class: cls, lang: hant ? "zh-Hant" : "zh-Hans" }, hant ? traditional : simplified);
}

/** The form not chosen, to show alongside (null when the two are the same). */
export function otherForm(simplified, traditional, cls) {
  if (!traditional || traditional === simplified) return null;
  const showHant = script !== "hant";
  return h(
    "span",
    { class: cls },
    h("span", { class: "visually-hidden" }, showHant ? "Traditional: " : "Simplified: "),
    h("span", { lang: showHant ? "zh-Hant" : "zh-Hans" }, showHant ? traditional : simplified),
  );
}
