// Small page behaviours shared by every page; htmx does the rest.
document.addEventListener("htmx:responseError", (event) => {
  // A refused action (409 someone else got there first, 400 bad input) shows its message in place.
  const target = event.detail.target;
  const xhr = event.detail.xhr;
  if (xhr.status === 409 || xhr.status === 400 || xhr.status === 403) {
    target.innerHTML = xhr.responseText;
  }
});
