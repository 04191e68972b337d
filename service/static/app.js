/* The lookup page: search as you type, entries, draft checking. Plain JavaScript, no build step, nothing
   loaded from outside. Entry and draft text is only ever inserted as text (text nodes, textContent),
   never parsed as HTML: the page's Content-Security-Policy forbids inline script, and so does this file. */
(function () {
  "use strict";

  var API = "api/v1/";
  var DEBOUNCE_MS = 180;
  var PAGE_SIZE = 20;
  var SCRIPT_KEY = "glossary.script";

  var STATUS_LABELS = {
    preferred: "preferred",
    admitted: "admitted",
    deprecated: "deprecated",
    superseded: "superseded",
  };
  var RELATION_LABELS = {
    see_also: "see also",
    broader: "broader term",
    narrower: "narrower term",
    part_of: "part of",
    has_part: "has part",
  };
  var VARIANT_LABELS = {
    short: ["short form", "简称"],
    full: ["full form", "全称"],
    alias: ["alias", "又称"],
    former: ["former name", "曾称"],
  };
  var KIND_LABELS = {
    term: "Term found",
    missing_rendering: "Missing rendering",
    deprecated_rendering: "Deprecated rendering",
    non_preferred_rendering: "Not the preferred rendering",
    inconsistent_rendering: "Inconsistent rendering",
  };
  var FIELD_LABELS = {
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
  var SEVERITY_RANK = { error: 3, warning: 2, info: 1 };
  var SEVERITY_LABELS = { error: "Error", warning: "Warning", info: "Info" };

  function $(id) {
    return document.getElementById(id);
  }

  // ---- building DOM from data, as text ----------------------------------------------------------------

  /** An element with attributes and children; strings become text nodes, never markup. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "class") el.className = value;
        else el.setAttribute(key, value === true ? "" : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }

  function add(el, child) {
    if (child === null || child === undefined || child === false || child === "") return;
    if (Array.isArray(child)) child.forEach(function (c) { add(el, c); });
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  /** A URL fit for href: http(s) only, so data from the API can never make a javascript: link. */
  function safeUrl(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

  function textLang(text) {
    return HAN.test(text || "") ? "zh-Hans" : "en";
  }

  var HAN_RUN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*)/;

  /** Text with its Chinese runs in lang="zh-Hans" spans, so that fonts and voices switch. */
  function hanRuns(text) {
    return text.split(HAN_RUN).filter(Boolean).map(function (part) {
      return HAN_RUN.test(part) ? h("span", { lang: "zh-Hans" }, part) : part;
    });
  }

  /** English prose: links made, Chinese marked. */
  function prose(text) {
    var out = [];
    linkified(text).forEach(function (piece) {
      out = out.concat(typeof piece === "string" ? hanRuns(piece) : [piece]);
    });
    return out;
  }

  /** Text with bare http(s) URLs made into links (as text nodes and <a> elements, never HTML). */
  function linkified(text) {
    var out = [];
    var re = /https?:\/\/[^\s<>"“”]+/g;
    var last = 0;
    var m;
    while ((m = re.exec(text))) {
      var url = m[0].replace(/[.,;:!?)\]]+$/, "");
      out.push(text.slice(last, m.index));
      var href = safeUrl(url);
      out.push(href ? h("a", { href: href, rel: "noopener noreferrer" }, url) : url);
      last = m.index + url.length;
      re.lastIndex = last;
    }
    out.push(text.slice(last));
    return out;
  }

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

  function unescapeEntities(text) {
    return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, function (all, name) {
      if (name.charAt(0) === "#") {
        var code = name.charAt(1) === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        try {
          return String.fromCodePoint(code);
        } catch (e) {
          return all;
        }
      }
      return ENTITIES[name];
    });
  }

  /** A search snippet: HTML-escaped text with <mark> around the match, rebuilt as text nodes and marks. */
  function snippetNodes(snippet) {
    var out = [];
    snippet.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var text = hanRuns(unescapeEntities(part));
        out.push(inMark ? h("mark", null, text) : text);
      }
      return inMark;
    }, false);
    return out;
  }

  // ---- the API -----------------------------------------------------------------------------------------

  function ApiError(message, status) {
    this.name = "ApiError";
    this.message = message;
    this.status = status;
  }
  ApiError.prototype = Object.create(Error.prototype);

  function api(path, options) {
    var init = Object.assign({ headers: { Accept: "application/json" } }, options || {});
    return fetch(API + path, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      var body = type.indexOf("json") >= 0 ? response.json() : Promise.resolve(null);
      return body.then(function (data) {
        if (!response.ok) {
          var detail = data && (data.detail || data.title);
          throw new ApiError(detail || "The server answered " + response.status + ".", response.status);
        }
        return data;
      });
    });
  }

  var entryCache = new Map();
  var readingCache = new Map();
  var sourcesPromise = null;

  function getEntry(id) {
    if (!entryCache.has(id)) {
      var p = api("terms/" + encodeURIComponent(id));
      p.catch(function () { entryCache.delete(id); });
      entryCache.set(id, p);
    }
    return entryCache.get(id);
  }

  /** The source registry by id; an empty map if the server does not offer it (entries still show ids). */
  function getSources() {
    if (!sourcesPromise) {
      sourcesPromise = api("sources").then(
        function (data) {
          var list = Array.isArray(data) ? data : (data && data.sources) || [];
          var map = new Map();
          list.forEach(function (s) { map.set(s.id, s); });
          return map;
        },
        function () {
          sourcesPromise = null;
          return new Map();
        }
      );
    }
    return sourcesPromise;
  }

  /** Traditional form and pinyin of any Chinese text (for formula members, which carry neither). */
  function getReading(text) {
    if (!readingCache.has(text)) {
      var p = api("pinyin?" + new URLSearchParams({ text: text }));
      p.catch(function () { readingCache.delete(text); });
      readingCache.set(text, p);
    }
    return readingCache.get(text);
  }

  // ---- simplified / traditional ------------------------------------------------------------------------

  var script = "hans";
  try {
    if (localStorage.getItem(SCRIPT_KEY) === "hant") script = "hant";
  } catch (e) {
    /* storage may be off (private mode): the default stands */
  }

  /** The Chinese in the chosen script, with its lang attribute; the other form when one is missing. */
  function zh(simplified, traditional, cls, tag) {
    var hant = script === "hant" && traditional;
    return h(tag || "span", { class: cls, lang: hant ? "zh-Hant" : "zh-Hans" }, hant ? traditional : simplified);
  }

  /** The form not chosen, for showing alongside (null when both are the same). */
  function otherForm(simplified, traditional, cls) {
    if (!traditional || traditional === simplified) return null;
    var showHant = script !== "hant";
    return h(
      "span",
      { class: cls },
      h("span", { class: "visually-hidden" }, showHant ? "Traditional: " : "Simplified: "),
      h("span", { lang: showHant ? "zh-Hant" : "zh-Hans" }, showHant ? traditional : simplified)
    );
  }

  function setScript(value, persist) {
    script = value === "hant" ? "hant" : "hans";
    document.body.setAttribute("data-script", script);
    document.querySelectorAll('input[name="script"]').forEach(function (radio) {
      radio.checked = radio.value === script;
    });
    if (persist) {
      try {
        localStorage.setItem(SCRIPT_KEY, script);
      } catch (e) {
        /* not remembered, still applied */
      }
    }
  }

  // ---- the URL is the state: ?q=…, ?id=…(&q=…), ?view=check --------------------------------------------

  function readUrl() {
    var p = new URLSearchParams(location.search);
    var id = p.get("id") || "";
    var view = p.get("view") === "check" ? "check" : id ? "entry" : "lookup";
    return { view: view, q: (p.get("q") || "").trim(), id: id };
  }

  function urlFor(state) {
    var p = new URLSearchParams();
    if (state.view === "check") p.set("view", "check");
    if (state.id) p.set("id", state.id);
    if (state.q) p.set("q", state.q);
    var s = p.toString();
    return "./" + (s ? "?" + s : "");
  }

  function navigate(url, replace) {
    var target = new URL(url, location.href);
    if (target.href !== location.href) history[replace ? "replaceState" : "pushState"](null, "", target.href);
    route(true);
  }

  // ---- elements ----------------------------------------------------------------------------------------

  var input, results, searchStatus, entryEl, announcer;

  function setStatus(el, text, isError) {
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle("error", !!isError);
  }

  var announceTimer = 0;
  function announce(text) {
    // Cleared first so that the same words twice are announced twice.
    announcer.textContent = "";
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function badge(text, cls, title) {
    return h("span", { class: "badge " + (cls || ""), title: title }, text);
  }

  // ---- search ------------------------------------------------------------------------------------------

  var searchTimer = 0;
  var searchController = null;
  var shown = { q: null, data: null }; // the results on screen
  var lastOpened = null; // the entry last opened from the results, to return focus to

  function onType() {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(commitQuery, DEBOUNCE_MS);
  }

  /** Put the typed query in the URL (one history step per visit to the results, not per key) and search. */
  function commitQuery() {
    clearTimeout(searchTimer);
    searchTimer = 0;
    var q = input.value.trim();
    var state = readUrl();
    var url = new URL(urlFor({ view: "lookup", q: q }), location.href).href;
    if (url !== location.href) history[state.view === "lookup" ? "replaceState" : "pushState"](null, "", url);
    routed = location.search;
    showView("lookup");
    document.title = titleFor(q);
    return runSearch(q);
  }

  function titleFor(q) {
    return q ? "“" + q + "”: Glossary" : "Glossary: Chinese–English policy terms";
  }

  function runSearch(q) {
    if (searchController) searchController.abort();
    searchController = null;
    if (!q) {
      shown = { q: "", data: null };
      clear(results);
      setStatus(searchStatus, "");
      return Promise.resolve();
    }
    if (shown.q === q && shown.data) return Promise.resolve();
    var controller = new AbortController();
    searchController = controller;
    results.setAttribute("aria-busy", "true");
    var params = new URLSearchParams({ q: q, limit: String(PAGE_SIZE) });
    return api("search?" + params, { signal: controller.signal })
      .then(function (data) {
        if (controller !== searchController) return;
        shown = { q: q, data: data };
        renderResults(data, q);
      })
      .catch(function (err) {
        if (err.name === "AbortError" || controller !== searchController) return;
        shown = { q: null, data: null };
        clear(results);
        setStatus(searchStatus, "Search failed: " + err.message, true);
      })
      .then(function () {
        if (controller === searchController) {
          results.removeAttribute("aria-busy");
          searchController = null;
        }
      });
  }

  function countText(data, q) {
    var total = data.total;
    var n = data.results.length;
    if (!total) return "No results for “" + q + "”. Try pinyin without tones, initials, or an English word.";
    var words = total === 1 ? "1 result" : total + " results";
    return n < total ? words + " for “" + q + "”, showing " + n + "." : words + " for “" + q + "”.";
  }

  function renderResults(data, q) {
    clear(results);
    data.results.forEach(function (result) {
      results.appendChild(h("li", null, resultCard(result, q)));
    });
    if (data.results.length < data.total) {
      results.appendChild(
        h("li", { class: "more" }, h("button", { type: "button", class: "button", "data-more": "" }, "Show more results"))
      );
    }
    setStatus(searchStatus, countText(data, q));
  }

  function showMore(button) {
    var data = shown.data;
    var q = shown.q;
    if (!data) return;
    button.disabled = true;
    var params = new URLSearchParams({ q: q, limit: String(PAGE_SIZE), offset: String(data.results.length) });
    api("search?" + params)
      .then(function (more) {
        if (shown.q !== q) return;
        var firstNew = data.results.length;
        data.results = data.results.concat(more.results);
        renderResults(data, q);
        var links = resultLinks();
        if (links[firstNew]) links[firstNew].focus();
      })
      .catch(function (err) {
        button.disabled = false;
        setStatus(searchStatus, "Could not load more: " + err.message, true);
      });
  }

  function isCurated(result) {
    return (result.layer || "curated") === "curated";
  }

  function resultCard(r, q) {
    var curated = isCurated(r);
    var head = h(
      "span",
      { class: "result-head" },
      zh(r.zh, r.zh_hant, "result-zh"),
      otherForm(r.zh, r.zh_hant, "result-alt"),
      r.pinyin ? h("span", { class: "result-pinyin", lang: "zh-Latn-pinyin" }, r.pinyin) : null
    );
    var match = r.match || {};
    // A match in the preferred rendering is marked there; any other match is shown under it, labelled.
    var inPreferred = r.snippet && match.field === "renderings" && match.form === r.preferred;
    var english = r.preferred
      ? h("span", { class: "result-en", lang: "en" }, inPreferred ? snippetNodes(r.snippet) : r.preferred)
      : null;
    var foot = h(
      "span",
      { class: "result-foot" },
      r.category ? badge(r.category, "category", "Category") : null,
      curated ? badge("preferred", "status-preferred", "The rendering shown is the preferred one") : null,
      badge(curated ? "curated" : "reference", "layer-" + (curated ? "curated" : "reference"),
        curated ? "From the curated term base, with sources" : "From the reference dictionary (CC-CEDICT), not curated"),
      r.snippet && !inPreferred
        ? h("span", { class: "snippet" }, h("span", { class: "snippet-field" }, (FIELD_LABELS[match.field] || match.field) + ": "),
          snippetNodes(r.snippet))
        : null
    );
    var body = [head, english, foot];
    if (!curated) {
      // A dictionary line has no entry page: the card is all there is. It is focusable so that the arrow
      // keys reach it like any other result.
      return h("div", { class: "result reference", tabindex: "0", "data-id": r.id }, body);
    }
    return h("a", { class: "result", href: urlFor({ view: "entry", id: r.id, q: q }), "data-nav": "", "data-id": r.id }, body);
  }

  function resultLinks() {
    return Array.prototype.slice.call(results.querySelectorAll(".result"));
  }

  // ---- entry -------------------------------------------------------------------------------------------

  var current = { entry: null, sources: null };

  function showEntry(id, focus) {
    entryEl.setAttribute("aria-busy", "true");
    if (!current.entry || current.entry.id !== id) {
      clear(entryEl);
      entryEl.appendChild(h("p", { class: "status" }, "Loading…"));
    }
    return Promise.all([getEntry(id), getSources()])
      .then(function (got) {
        if (readUrl().id !== id) return;
        current = { entry: got[0], sources: got[1] };
        renderEntry();
        document.title = got[0].zh + " " + preferredOf(got[0]).en + ": Glossary";
        if (focus) {
          window.scrollTo(0, 0);
          $("entry-title").focus();
        }
      })
      .catch(function (err) {
        if (readUrl().id !== id) return;
        current = { entry: null, sources: null };
        clear(entryEl);
        var message = err.status === 404 ? "There is no entry “" + id + "”." : "Could not load the entry: " + err.message;
        entryEl.appendChild(h("h2", { id: "entry-title", class: "entry-title-missing", tabindex: "-1" }, message));
        entryEl.appendChild(h("p", null, h("a", { href: "./", "data-nav": "" }, "Search the glossary")));
        document.title = "Not found: Glossary";
        if (focus) $("entry-title").focus();
      })
      .then(function () {
        entryEl.setAttribute("aria-busy", "false");
      });
  }

  function preferredOf(entry) {
    return entry.renderings.find(function (r) { return r.status === "preferred"; }) || entry.renderings[0];
  }

  function copyButton(text, what) {
    return h(
      "button",
      { type: "button", class: "copy", "data-copy": text },
      h("span", { class: "copy-label" }, "Copy"),
      h("span", { class: "visually-hidden" }, " " + (what || "“" + text + "”"))
    );
  }

  function section(id, title) {
    var rest = Array.prototype.slice.call(arguments, 2);
    return h("section", { class: "entry-section", "aria-labelledby": id }, h("h3", { id: id }, title), rest);
  }

  function renderEntry() {
    var entry = current.entry;
    var sources = current.sources;
    var q = readUrl().q;
    var pref = preferredOf(entry);
    clear(entryEl);

    if (q) {
      entryEl.appendChild(
        h("p", { class: "back" }, h("a", { href: urlFor({ view: "lookup", q: q }), "data-nav": "" }, "← Results for “" + q + "”"))
      );
    }

    entryEl.appendChild(
      h(
        "header",
        { class: "entry-head" },
        zh(entry.zh, entry.zh_hant, "entry-title", "h2"),
        h(
          "p",
          { class: "entry-forms" },
          h("span", { class: "pinyin", lang: "zh-Latn-pinyin" }, entry.pinyin),
          otherForm(entry.zh, entry.zh_hant, "alt-form")
        ),
        h(
          "p",
          { class: "entry-badges" },
          badge(entry.category, "category", "Category"),
          badge("curated", "layer-curated", "From the curated term base, with sources"),
          entry.zh_attested ? null : badge("Chinese supplied by the curator", "", entry.zh_note || null)
        )
      )
    );
    var title = entryEl.querySelector(".entry-title");
    title.id = "entry-title";
    title.setAttribute("tabindex", "-1");

    entryEl.appendChild(
      h(
        "section",
        { class: "preferred-box", "aria-labelledby": "preferred-title" },
        h("h3", { id: "preferred-title" }, "Preferred rendering"),
        h("p", { class: "preferred-row" }, h("span", { class: "preferred-en", lang: "en" }, pref.en),
          copyButton(pref.en, "the preferred rendering “" + pref.en + "”"))
      )
    );

    var facts = [];
    if (entry.literal) facts.push(["Literally", h("span", { lang: "en" }, entry.literal)]);
    if (entry.definition) facts.push(["Definition", h("span", { lang: "en" }, prose(entry.definition))]);
    (entry.zh_variants || []).forEach(function (v) {
      facts.push([
        "Also written",
        [zh(v.zh, v.zh_hant, "variant-zh"), " ", v.pinyin ? h("span", { class: "member-pinyin", lang: "zh-Latn-pinyin" }, v.pinyin) : null,
          " (", variantLabel(v.type), ")"],
      ]);
    });
    if (!entry.zh_attested && entry.zh_note) facts.push(["About the Chinese", prose(entry.zh_note)]);
    if (facts.length) {
      entryEl.appendChild(
        h("dl", { class: "facts" }, facts.map(function (f) { return [h("dt", null, f[0]), h("dd", null, f[1])]; }))
      );
    }

    if (entry.members && entry.members.length) {
      entryEl.appendChild(
        section("members-title", "Members (" + entry.members.length + ")",
          h("ol", { class: "members" }, entry.members.map(memberItem)))
      );
    }

    entryEl.appendChild(
      section("renderings-title", entry.renderings.length === 1 ? "Rendering" : "Renderings (" + entry.renderings.length + ")",
        h("ol", { class: "renderings" }, entry.renderings.map(function (r) { return renderingItem(r, sources); })))
    );

    if (entry.notes && entry.notes.length) {
      entryEl.appendChild(
        section("notes-title", "Translators’ and editors’ notes",
          h("ul", { class: "notes" }, entry.notes.map(function (n) { return noteItem(n, sources); })))
      );
    }

    if (entry.related && entry.related.length) {
      entryEl.appendChild(
        section("related-title", "Related entries", h("ul", { class: "related" }, entry.related.map(relatedItem)))
      );
    }

    var link = new URL(urlFor({ view: "entry", id: entry.id }), location.href).href;
    entryEl.appendChild(
      h("p", { class: "permalink" }, "Link to this entry: ", h("a", { href: link, "data-nav": "" }, link),
        copyButton(link, "the link to this entry"))
    );
  }

  function variantLabel(type) {
    var label = VARIANT_LABELS[type];
    return label ? [label[0], " ", h("span", { lang: "zh-Hans" }, label[1])] : type;
  }

  function memberItem(m) {
    var zhEl = h("span", { class: "member-zh", lang: "zh-Hans" }, m.zh);
    var pyEl = h("span", { class: "member-pinyin", lang: "zh-Latn-pinyin" }, m.pinyin || "");
    getReading(m.zh).then(
      function (reading) {
        if (script === "hant" && reading.traditional) {
          zhEl.textContent = reading.traditional;
          zhEl.setAttribute("lang", "zh-Hant");
        }
        if (!m.pinyin && reading.pinyin) pyEl.textContent = reading.pinyin.marks;
      },
      function () { /* the member still shows, without its reading */ }
    );
    return h("li", null, zhEl, pyEl, h("span", { class: "member-en", lang: "en" }, prose(m.en)));
  }

  function citation(sourceId, sources) {
    var s = sources && sources.get(sourceId);
    if (!s) return h("span", { class: "citation" }, h("cite", null, sourceId));
    var url = s.url ? safeUrl(s.url) : null;
    return h(
      "span",
      { class: "citation" },
      h("cite", { lang: "en" }, s.title),
      ", ",
      s.publisher,
      s.date ? ", " + s.date : "",
      ".",
      url ? [" ", h("a", { href: url, rel: "noopener noreferrer" }, new URL(url).host,
        h("span", { class: "visually-hidden" }, " (link to the source)"))] : null
    );
  }

  function renderingItem(r, sources) {
    var quotes = r.sources.map(function (sourceId, i) {
      var quote = i === 0 ? r.quote : (r.quotes || {})[sourceId];
      return h(
        "figure",
        { class: "attestation" },
        quote ? h("blockquote", { lang: "en" }, prose(quote)) : null,
        h("figcaption", null, "Source: ", citation(sourceId, sources))
      );
    });
    return h(
      "li",
      { class: "rendering", "data-status": r.status },
      h(
        "div",
        { class: "rendering-head" },
        h("h4", { class: "rendering-en", lang: "en" }, r.en),
        badge(STATUS_LABELS[r.status] || r.status, "status-" + r.status, "Status of this rendering"),
        r.proper_noun ? badge("proper noun", "") : null,
        r.generic ? badge("generic", "", "Too generic to check alone: matched only in bilingual drafts") : null,
        copyButton(r.en)
      ),
      r.note ? h("p", { class: "rendering-note", lang: "en" }, prose(r.note)) : null,
      quotes
    );
  }

  function noteItem(n, sources) {
    return h(
      "li",
      { class: "note" },
      h("h4", { class: "note-label" }, n.label),
      h("p", { class: "note-text", lang: "en" }, prose(n.text)),
      h("p", { class: "note-source" }, "Source: ", citation(n.source, sources))
    );
  }

  function relatedItem(rel) {
    var link = h("a", { href: urlFor({ view: "entry", id: rel.id }), "data-nav": "" }, rel.id);
    getEntry(rel.id).then(
      function (other) {
        clear(link);
        add(link, [zh(other.zh, other.zh_hant), " ", h("span", { lang: "en" }, preferredOf(other).en)]);
      },
      function () { /* the id stays as the link text */ }
    );
    return h("li", null, link, " ", h("span", { class: "relation" }, "(" + (RELATION_LABELS[rel.type] || rel.type) + ")"));
  }

  // ---- copying -----------------------------------------------------------------------------------------

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text); }
      );
    }
    return Promise.resolve(legacyCopy(text));
  }

  /** Plain-HTTP pages have no navigator.clipboard: copy through a hidden, selected text area. */
  function legacyCopy(text) {
    var active = document.activeElement;
    var area = h("textarea", { class: "visually-hidden", readonly: "", "aria-hidden": "true", tabindex: "-1" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    if (active && active.focus) active.focus();
    return ok;
  }

  function onCopy(button) {
    var text = button.getAttribute("data-copy");
    var label = button.querySelector(".copy-label");
    copyText(text).then(function (ok) {
      button.classList.toggle("copied", ok);
      button.classList.toggle("failed", !ok);
      label.textContent = ok ? "Copied ✓" : "Copy failed";
      announce(ok ? "Copied “" + text + "” to the clipboard." : "Could not copy. Select the text and press Ctrl+C.");
      clearTimeout(button._timer);
      button._timer = setTimeout(function () {
        button.classList.remove("copied", "failed");
        label.textContent = "Copy";
      }, 2000);
    });
  }

  // ---- draft checking ----------------------------------------------------------------------------------

  function checkMode() {
    var checked = document.querySelector('input[name="mode"]:checked');
    return checked ? checked.value : "text";
  }

  function nonBlankLines(text) {
    return text.split("\n").filter(function (line) { return line.trim(); });
  }

  var checkController = null;

  function runCheck() {
    var status = $("check-status");
    var mode = checkMode();
    var body;
    var draft;
    if (mode === "text") {
      var text = $("check-text").value;
      if (!text.trim()) {
        setStatus(status, "Paste a draft to check first.", true);
        $("check-text").focus();
        return Promise.resolve();
      }
      body = { text: text };
      draft = { mode: "text", text: text };
    } else {
      var source = $("check-source").value;
      var target = $("check-target").value;
      if (!source.trim()) {
        setStatus(status, "Paste the Chinese source first.", true);
        $("check-source").focus();
        return Promise.resolve();
      }
      var sl = nonBlankLines(source);
      var tl = nonBlankLines(target);
      var paired = sl.length === tl.length;
      var segments = paired
        ? sl.map(function (line, i) { return { source: line, target: tl[i] }; })
        : [{ source: source, target: target }];
      body = { segments: segments };
      draft = { mode: "segments", segments: segments, paired: paired };
    }
    if ($("check-strict").checked) body.strict = true;
    if (checkController) checkController.abort();
    var controller = new AbortController();
    checkController = controller;
    setStatus(status, "Checking…");
    return api("check", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    })
      .then(function (data) {
        if (controller !== checkController) return;
        renderCheck(draft, data);
      })
      .catch(function (err) {
        if (err.name === "AbortError") return;
        $("check-results").hidden = true;
        setStatus(status, "The check failed: " + err.message, true);
      });
  }

  function hasSpan(f, text) {
    return Number.isInteger(f.start) && Number.isInteger(f.end) && f.end > f.start && f.end <= Array.from(text).length;
  }

  function worst(findings) {
    return findings.reduce(function (acc, f) {
      return (SEVERITY_RANK[f.severity] || 0) > (SEVERITY_RANK[acc] || 0) ? f.severity : acc;
    }, "info");
  }

  /** The text with each finding's span in a <mark>: offsets are code points, so slice an array of them. */
  function markedText(text, findings) {
    var chars = Array.from(text);
    var spans = findings
      .filter(function (f) { return hasSpan(f, text); })
      .sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var groups = [];
    spans.forEach(function (f) {
      var last = groups[groups.length - 1];
      if (last && f.start < last.end) {
        last.end = Math.max(last.end, f.end);
        last.findings.push(f);
      } else {
        groups.push({ start: f.start, end: f.end, findings: [f] });
      }
    });
    var out = [];
    var pos = 0;
    groups.forEach(function (g) {
      if (g.start > pos) out.push(chars.slice(pos, g.start).join(""));
      var id = "mark-" + g.findings[0].n;
      g.findings.forEach(function (f) { f.markId = id; });
      var tip = g.findings.map(function (f) {
        return (f.message || KIND_LABELS[f.kind] || f.kind) + (f.suggestion ? " Suggestion: " + f.suggestion : "");
      }).join("\n");
      out.push(h("mark", { class: "finding sev-" + worst(g.findings), id: id, title: tip, "data-kinds": g.findings.map(function (f) { return f.kind; }).join(" ") },
        chars.slice(g.start, g.end).join("")));
      var refs = ["\u2060"]; // a word joiner: the numbers never wrap away from their mark
      g.findings.forEach(function (f, i) {
        if (i) refs.push(",");
        refs.push(h("a", { class: "fn", href: "#finding-" + f.n, "aria-label": "finding " + f.n + ": " + (KIND_LABELS[f.kind] || f.kind) }, String(f.n)));
      });
      out.push(h("sup", { class: "fns" }, refs));
      pos = g.end;
    });
    out.push(chars.slice(pos).join(""));
    return out;
  }

  function summaryText(findings) {
    var count = { error: 0, warning: 0, info: 0 };
    findings.forEach(function (f) { count[f.severity] = (count[f.severity] || 0) + 1; });
    if (!findings.length) return "No glossary terms found in this draft.";
    var parts = [];
    parts.push(count.error === 1 ? "1 error" : count.error + " errors");
    parts.push(count.warning === 1 ? "1 warning" : count.warning + " warnings");
    var terms = findings.filter(function (f) { return f.kind === "term"; }).length;
    parts.push(terms === 1 ? "1 term found" : terms + " terms found");
    return findings.length + (findings.length === 1 ? " finding: " : " findings: ") + parts.join(", ") + ".";
  }

  function renderCheck(draft, data) {
    var findings = (data.findings || []).map(function (f, i) { return Object.assign({ n: i + 1 }, f); });
    var marked = $("check-marked");
    clear(marked);
    if (draft.mode === "text") {
      marked.className = "marked";
      marked.setAttribute("lang", textLang(draft.text));
      add(marked, markedText(draft.text, findings));
    } else {
      marked.className = "marked segmented";
      marked.removeAttribute("lang");
      var list = h("ol", { class: "segments" });
      draft.segments.forEach(function (seg, i) {
        var mine = findings.filter(function (f) { return (f.segment || 0) === i; });
        list.appendChild(
          h(
            "li",
            { class: "segment" },
            draft.segments.length > 1 ? h("span", { class: "segment-no" }, "Line " + (i + 1)) : null,
            h("div", { class: "segment-side" },
              h("span", { class: "side-label" }, "Source"),
              h("div", { lang: "zh-Hans" }, markedText(seg.source, mine.filter(function (f) { return f.side === "source"; })))),
            h("div", { class: "segment-side" },
              h("span", { class: "side-label" }, "Translation"),
              h("div", { lang: "en" }, markedText(seg.target, mine.filter(function (f) { return f.side === "target"; }))))
          )
        );
      });
      marked.appendChild(list);
    }
    var listEl = $("check-findings");
    clear(listEl);
    findings.forEach(function (f) { listEl.appendChild(findingItem(f, draft)); });
    $("check-results").hidden = false;
    var summary = summaryText(findings);
    if (draft.mode === "segments" && !draft.paired) {
      summary += " The line counts differ, so the texts were checked as one pair.";
    }
    setStatus($("check-status"), summary);
  }

  function findingItem(f, draft) {
    var severity = f.severity || "info";
    var where = draft.mode === "segments"
      ? (draft.segments.length > 1 ? "line " + ((f.segment || 0) + 1) + ", " : "") + (f.side === "target" ? "translation" : "source")
      : null;
    return h(
      "li",
      { class: "finding-item", id: "finding-" + f.n, "data-kind": f.kind },
      h("span", { class: "finding-no" }, f.n + "."),
      h(
        "div",
        null,
        h(
          "p",
          { class: "finding-head" },
          badge(SEVERITY_LABELS[severity] || severity, "sev-" + severity),
          h("span", { class: "finding-kind" }, KIND_LABELS[f.kind] || f.kind),
          f.text ? h("span", { class: "finding-text", lang: textLang(f.text) }, "“" + f.text + "”") : null,
          where ? h("span", { class: "relation" }, "(" + where + ")") : null
        ),
        f.message ? h("p", { class: "finding-message" }, prose(f.message)) : null,
        f.suggestion
          ? h("p", { class: "finding-suggestion" }, "Suggestion: ", h("strong", { lang: textLang(f.suggestion) }, f.suggestion), " ",
            copyButton(f.suggestion))
          : null,
        h(
          "p",
          { class: "finding-links" },
          f.term_id ? h("a", { href: urlFor({ view: "entry", id: f.term_id }), "data-nav": "" }, "Open the entry") : null,
          f.term_id && f.markId ? " · " : null,
          f.markId ? h("a", { href: "#" + f.markId }, "Show in the draft") : null
        )
      )
    );
  }

  // ---- views and routing -------------------------------------------------------------------------------

  function showView(view) {
    document.body.setAttribute("data-view", view);
    $("nav-lookup").toggleAttribute("aria-current", false);
    $("nav-check").toggleAttribute("aria-current", false);
    var nav = view === "check" ? $("nav-check") : $("nav-lookup");
    nav.setAttribute("aria-current", "page");
  }

  /** Show what the URL says: on load, after a link inside the page, and on back and forward. */
  var routed = null; // the query string last shown

  function route(focus) {
    var state = readUrl();
    routed = location.search;
    clearTimeout(searchTimer);
    showView(state.view);
    if (input.value.trim() !== state.q) input.value = state.q;
    if (state.view === "check") {
      document.title = "Check a draft: Glossary";
      if (focus) $("check-title").focus();
      return Promise.resolve();
    }
    if (state.view === "entry") {
      lastOpened = state.id;
      var searched = state.q ? runSearch(state.q) : Promise.resolve();
      return Promise.all([showEntry(state.id, focus), searched]);
    }
    document.title = titleFor(state.q);
    return runSearch(state.q).then(function () {
      if (!focus) return;
      var back = lastOpened && results.querySelector('.result[data-id="' + CSS.escape(lastOpened) + '"]');
      if (back) back.focus();
      else input.focus();
    });
  }

  function isTypingIn(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    if (el.tagName !== "INPUT") return false;
    return ["checkbox", "radio", "button", "submit", "reset"].indexOf(el.type) < 0;
  }

  function onResultsKey(event) {
    var links = resultLinks();
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    var next = null;
    if (event.key === "ArrowDown") next = links[Math.min(i + 1, links.length - 1)];
    else if (event.key === "ArrowUp") next = i === 0 ? input : links[i - 1];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    else if (event.key === "Escape") next = input;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  function onInputKey(event) {
    if (event.key !== "ArrowDown") return;
    event.preventDefault();
    // Results for what is typed may still be on their way: search now, then step into them.
    var ready = searchTimer || readUrl().view !== "lookup" ? commitQuery() : Promise.resolve();
    ready.then(function () {
      var first = resultLinks()[0];
      if (first) first.focus();
    });
  }

  function init() {
    input = $("q");
    results = $("results");
    searchStatus = $("search-status");
    entryEl = $("entry");
    announcer = $("announcer");

    setScript(script, false);

    input.addEventListener("input", onType);
    input.addEventListener("keydown", onInputKey);
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      commitQuery();
    });
    results.addEventListener("keydown", onResultsKey);

    document.querySelectorAll('input[name="script"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        setScript(radio.value, true);
        if (shown.data) renderResults(shown.data, shown.q);
        if (current.entry && readUrl().view === "entry") renderEntry();
        announce(script === "hant" ? "Showing traditional characters." : "Showing simplified characters.");
      });
    });

    document.querySelectorAll('input[name="mode"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        var pair = checkMode() === "segments";
        $("check-single").hidden = pair;
        $("check-pair").hidden = !pair;
      });
    });
    $("check-form").addEventListener("submit", function (event) {
      event.preventDefault();
      runCheck();
    });
    $("check-form").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
        event.preventDefault();
        runCheck();
      }
    });

    document.addEventListener("click", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      var copy = target.closest("button.copy");
      if (copy) return onCopy(copy);
      var more = target.closest("button[data-more]");
      if (more) return showMore(more);
      var link = target.closest("a[data-nav]");
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(link.href);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTypingIn(event.target)) return;
      event.preventDefault();
      if (readUrl().view === "check") navigate(urlFor({ view: "lookup", q: input.value.trim() }));
      input.focus();
      input.select();
    });

    window.addEventListener("popstate", function () {
      // Following a finding's #link also pops state: only a change of query string is a change of view.
      if (location.search === routed) return;
      route(true);
    });

    route(false).then(function () {
      if (readUrl().view === "lookup" && !input.value && window.matchMedia("(pointer: fine)").matches) input.focus();
      document.documentElement.setAttribute("data-loaded", "");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
