// The agreement editor answers bad input (400) and a stale draft (409) with the form or message
// to show in place; swap those like any answer instead of treating them as failures.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if ((status === 400 || status === 409) && event.detail.elt.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
