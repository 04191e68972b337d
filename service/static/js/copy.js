// Copy buttons: navigator.clipboard where the page may use it, a selected hidden text area elsewhere
// (plain-HTTP pages other than localhost have no clipboard API), and feedback seen and heard.

import { announce, h, hanRuns } from "./dom.js";

/** A button that copies `text`; `what` names it for screen readers ("the preferred rendering …"). */
export function copyButton(text, what) {
  return h(
    "button",
    { type: "button", class: "copy", "data-copy": text },
    h("span", { class: "copy-label" }, "Copy"),
    h("span", { class: "visually-hidden" }, " ", hanRuns(what || `“${text}”`)),
  );
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // refused (no permission, no focus): try the old way
    }
  }
  return legacyCopy(text);
}

function legacyCopy(text) {
  const active = document.activeElement;
  const area = h("textarea", {
    class: "visually-hidden",
    readonly: "",
    "aria-hidden": "true",
    tabindex: "-1",
  });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  if (active && active.focus) active.focus();
  return ok;
}

/** Copy for a clicked copy button, and say how it went on the button and to screen readers. */
export async function onCopy(button) {
  const text = button.getAttribute("data-copy");
  const label = button.querySelector(".copy-label");
  const ok = await copyText(text);
  button.classList.toggle("copied", ok);
  button.classList.toggle("failed", !ok);
  label.textContent = ok ? "Copied ✓" : "Copy failed";
  announce(ok ? `Copied “${text}” to the clipboard.` : "Could not copy. Select the text and press Ctrl+C.");
  clearTimeout(button.copyTimer);
  button.copyTimer = setTimeout(() => {
    button.classList.remove("copied", "failed");
    label.textContent = "Copy";
  }, 2000);
}
