// Building the page from data, always as text: strings become text nodes, never markup. Nothing in these
// modules parses text as HTML (tests/test_page.py keeps it so), and the Content-Security-Policy forbids
// inline script besides.

/** An element with attributes and children; strings (and arrays of them) become text nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  add(el, children);
  return el;
}

/** Append children: nodes as they are, strings as text, arrays flattened, null/false/"" skipped. */
export function add(el, child) {
  if (child === null || child === undefined || child === false || child === "") return el;
  if (Array.isArray(child)) child.forEach((c) => add(el, c));
  else if (child instanceof Node) el.appendChild(child);
  else el.appendChild(document.createTextNode(String(child)));
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export const $ = (id) => document.getElementById(id);

/** A URL fit for href: http(s) only, so data from the API can never make a javascript: link. */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
// A run of Chinese: Han characters with the CJK punctuation and full-width forms around and between them.
const HAN_RUN =
  /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*)/;

/** The language of a short text: Chinese if it holds a Han character, else English. */
export const textLang = (text) => (HAN.test(text || "") ? "zh-Hans" : "en");

/** Text with its Chinese runs in lang="zh-Hans" spans, so that fonts and screen-reader voices switch. */
export function hanRuns(text) {
  return text
    .split(HAN_RUN)
    .filter(Boolean)
    .map((part) => (HAN_RUN.test(part) ? h("span", { lang: "zh-Hans" }, part) : part));
}

/** Text with bare http(s) URLs made into links. */
function linkified(text) {
  const out = [];
  const re = /https?:\/\/[^\s<>"“”]+/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, "");
    out.push(text.slice(last, m.index));
    const href = safeUrl(url);
    out.push(href ? h("a", { href, rel: "noopener noreferrer" }, url) : url);
    last = m.index + url.length;
    re.lastIndex = last;
  }
  out.push(text.slice(last));
  return out;
}

/** English prose from the data (notes, quotes): links made, Chinese marked as Chinese. */
export function prose(text) {
  return linkified(text).flatMap((piece) => (typeof piece === "string" ? hanRuns(piece) : [piece]));
}

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (all, name) => {
    if (name[0] !== "#") return ENTITIES[name];
    const code = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    try {
      return String.fromCodePoint(code);
    } catch {
      return all;
    }
  });
}

/** A search snippet (escaped text with <mark> around matches) rebuilt as text nodes and <mark> elements. */
export function snippetNodes(snippet) {
  const out = [];
  let inMark = false;
  for (const part of snippet.split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>") inMark = true;
    else if (part === "</mark>") inMark = false;
    else if (part) {
      const text = hanRuns(unescapeEntities(part));
      out.push(inMark ? h("mark", null, text) : text);
    }
  }
  return out;
}

export function badge(text, cls, title) {
  return h("span", { class: `badge ${cls || ""}`.trim(), title }, text);
}

export function setStatus(el, text, isError) {
  if (el.textContent !== text) el.textContent = text; // the same words again are not re-announced
  el.classList.toggle("error", Boolean(isError));
}

let announceTimer = 0;

/** Say something to screen-reader users through the page's polite live region. */
export function announce(text) {
  const announcer = $("announcer");
  announcer.textContent = ""; // cleared first, so that the same words twice are announced twice
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}
