// Small page behaviours shared by every page; htmx does the rest.
document.addEventListener("htmx:beforeSwap", (event) => {
  // A refused action (400 bad input, 403 not allowed, 409 someone else got there first) is
  // swapped like a success, so the form comes back with its errors, or the message lands where
  // the server retargeted it (HX-Retarget), and htmx processes the new content as usual.
  const status = event.detail.xhr.status;
  if (status === 400 || status === 403 || status === 409) {
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
// deactivate a policy) asks before it is sent, as hx-confirm does for htmx forms.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
