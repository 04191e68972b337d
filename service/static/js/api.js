// The API at api/v1/ (relative, so the page works wherever the app is mounted), with per-page caches.

const API = "api/v1/";

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/** The JSON body of `path`; a problem-details answer becomes an ApiError carrying its `detail`. */
export async function api(path, options = {}) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" }, ...options });
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const detail = data && (data.detail || data.title);
    throw new ApiError(detail || `The server answered ${response.status}.`, response.status);
  }
  return data;
}

/** `load(key)` once per key; a failure is forgotten so that the next call tries again. */
function cached(load) {
  const cache = new Map();
  return (key) => {
    if (!cache.has(key)) {
      const promise = load(key);
      promise.catch(() => cache.delete(key));
      cache.set(key, promise);
    }
    return cache.get(key);
  };
}

/** The whole entry, as `glossary export --format json` gives it. */
export const getEntry = cached((id) => api(`terms/${encodeURIComponent(id)}`));

/** Traditional form and pinyin of any Chinese text (formula members carry neither). */
export const getReading = cached((text) => api(`pinyin?${new URLSearchParams({ text })}`));

const sources = cached(() => api("sources").then((data) => new Map(data.sources.map((s) => [s.id, s]))));

/** The source registry by id; empty if it cannot be had just now (entries then cite sources by id). */
export const getSources = () => sources("all").catch(() => new Map());

export function search(params, signal) {
  return api(`search?${new URLSearchParams(params)}`, { signal });
}

export function check(body, signal) {
  return api("check", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}
