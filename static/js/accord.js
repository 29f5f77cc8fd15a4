// Small page behaviours shared by every page; htmx does the rest.
document.addEventListener("htmx:beforeSwap", (event) => {
  // A refused action (400 bad input, 403 not allowed, 409 someone else got there first) is
  // swapped like a success, so the form comes back with its errors, or the message lands where
  // the server retargeted it (HX-Retarget), and htmx processes the new content as usual. So is
  // Accord's own 503 (too slow, the database unreachable), which always names where it goes.
  const status = event.detail.xhr.status;
  const retargeted = event.detail.xhr.getResponseHeader("HX-Retarget") !== null;
  if (status === 400 || status === 403 || status === 409 || (status === 503 && retargeted)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// Behaviours that would otherwise be inline handlers or htmx expressions, which the Content
// Security Policy forbids (SECURE_CSP in config/settings.py: no inline code, no eval). They
// listen on the document, so content that htmx swaps in later works without wiring it again.
//
// <select data-submit-on-change>: choosing sends the form (the language switcher).
document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-submit-on-change]");
  if (select) select.form.requestSubmit();
});
// <button data-clear="ID">: empties the element with that id (closes the queue's work panel).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-clear]");
  if (button) document.getElementById(button.dataset.clear).replaceChildren();
});
// <a data-history-back>: back to the page before (the web-form error page's "go back").
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-history-back]")) {
    event.preventDefault();
    history.back();
  }
});
// data-pause-poll-while-focused: while focus is inside the element, its polling refresh is
// skipped so a keyboard user's place is not swapped away under them. A poll is the one request
// htmx issues without a triggering event; named events (queue-changed) still refresh it.
document.addEventListener("htmx:confirm", (event) => {
  const element = event.detail.elt;
  if (
    !event.detail.triggeringEvent &&
    element.matches("[data-pause-poll-while-focused]") &&
    element.contains(document.activeElement)
  ) {
    event.preventDefault();
  }
});
// <form data-confirm="question">: a consequential plain form (publish, sign, remove a rep,
// deactivate a policy) asks before it is sent, as hx-confirm does for htmx forms. A submit
// button may carry its own question (a bulk bar whose buttons do different things).
document.addEventListener("submit", (event) => {
  const submitter = event.submitter && event.submitter.closest("[data-confirm]");
  const form = event.target.closest("form[data-confirm]");
  const question = (submitter || form || {}).dataset?.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
// <button data-show-dialog="ID"> opens that <dialog>; <button data-close-dialog> closes its own.
document.addEventListener("click", (event) => {
  const opener = event.target.closest("[data-show-dialog]");
  if (opener) document.getElementById(opener.dataset.showDialog).showModal();
  const closer = event.target.closest("[data-close-dialog]");
  if (closer) closer.closest("dialog").close();
});
// The queue's keyboard shortcuts, on pages whose queue carries data-queue-shortcuts (a person
// turns single-key shortcuts off in their profile, WCAG 2.1.4; the attribute is then absent).
// j/k move through the rows, Enter opens the current one, c claims it, a and r go to accepting
// and returning in the work panel, ? lists them, Esc closes. Keys typed into a field, or with
// Ctrl, Alt or Meta, are left alone. The current row is remembered by id, so a polled refresh
// of the rows keeps the place.
let currentHandoff = null;
const TYPING_FIELDS =
  "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit])," +
  " textarea, select, [contenteditable]";
const queueRows = (queue) => [...queue.querySelectorAll("tr[data-handoff]")];
function markCurrent(queue, row, focus) {
  for (const other of queue.querySelectorAll("tr.is-current")) {
    other.classList.remove("is-current");
    other.removeAttribute("aria-current");
  }
  if (!row) return;
  currentHandoff = row.dataset.handoff;
  row.classList.add("is-current");
  row.setAttribute("aria-current", "true");
  if (focus) (row.querySelector("button, a") || row).focus();
  row.scrollIntoView({ block: "nearest" });
}
document.addEventListener("htmx:afterSwap", () => {
  const queue = document.querySelector("[data-queue-shortcuts]");
  if (queue && currentHandoff) {
    markCurrent(queue, queue.querySelector(`tr[data-handoff="${currentHandoff}"]`), false);
  }
});
document.addEventListener("keydown", (event) => {
  const queue = document.querySelector("[data-queue-shortcuts]");
  if (!queue || event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
  if (event.target.closest(TYPING_FIELDS)) return;
  const help = document.getElementById("queue-shortcuts");
  if (help && help.open) return; // the dialog handles its own keys (Esc closes it)
  const panel = document.getElementById("queue-action");
  const rows = queueRows(queue);
  const current = rows.find((row) => row.dataset.handoff === currentHandoff);
  const at = rows.indexOf(current);
  switch (event.key) {
    case "j":
    case "k": {
      const step = event.key === "j" ? 1 : -1;
      const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), rows.length - 1);
      markCurrent(queue, rows[next], true);
      break;
    }
    case "Enter":
      if (!current || (event.target.closest("a, button") && !current.contains(event.target))) {
        return;
      }
      htmx.ajax("GET", current.dataset.workUrl, { target: "#queue-action", swap: "innerHTML" });
      break;
    case "c": {
      const claim = current && current.querySelector("[data-queue-claim]");
      if (!claim) return;
      claim.click();
      break;
    }
    case "a": {
      const accept = panel.querySelector("form[action$='/accept/']");
      if (!accept) return;
      const unticked = accept.querySelector("input[type=checkbox]:not(:checked)");
      if (unticked) unticked.focus();
      else accept.requestSubmit();
      break;
    }
    case "r": {
      const reason = panel.querySelector("form[action$='/return/'] select");
      if (!reason) return;
      reason.focus();
      break;
    }
    case "?":
      if (help) help.showModal();
      break;
    case "Escape":
      if (!panel.firstElementChild) return;
      panel.replaceChildren();
      if (current) markCurrent(queue, current, true);
      break;
    default:
      return;
  }
  event.preventDefault();
});
// Lists with bulk actions: <input type=checkbox data-select-all="GROUP"> ticks or clears every
// data-select="GROUP" box on the page ("select all on this page"), and follows them.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  const group = all ? all.dataset.selectAll : event.target.dataset && event.target.dataset.select;
  if (!group) return;
  const boxes = [...document.querySelectorAll(`[data-select="${group}"]`)];
  if (all) boxes.forEach((box) => { box.checked = all.checked; });
  const header = document.querySelector(`[data-select-all="${group}"]`);
  if (header && !all) {
    const ticked = boxes.filter((box) => box.checked).length;
    header.checked = ticked === boxes.length && ticked > 0;
    header.indeterminate = ticked > 0 && ticked < boxes.length;
  }
});
// A polled list keeps its rows while some are ticked for a bulk action (data-pause-poll-while-
// selected on the polled element), so a refresh does not clear a manager's selection.
document.addEventListener("htmx:confirm", (event) => {
  const element = event.detail.elt;
  if (
    !event.detail.triggeringEvent &&
    element.matches("[data-pause-poll-while-selected]") &&
    element.querySelector("[data-select]:checked")
  ) {
    event.preventDefault();
  }
});
