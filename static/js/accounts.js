// "Copy" buttons: copy the text of the element named by data-copy, then say so on the button.
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const text = source.value ?? source.textContent;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard access (plain http): select the text so Ctrl+C copies it.
      if (source.select) source.select();
      else window.getSelection().selectAllChildren(source);
      return;
    }
    button.textContent = button.dataset.copied;
  });
});
