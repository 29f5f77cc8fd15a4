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
