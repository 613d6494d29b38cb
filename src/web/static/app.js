// Progressive enhancement only: every task works without this file.

// "Copy" buttons next to handles: shown only where the clipboard can be used.
for (const button of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const status = document.getElementById(button.getAttribute("aria-controls") ?? "");
    try {
      await navigator.clipboard.writeText(button.dataset.copy ?? "");
      if (status) status.textContent = "Copied.";
    } catch {
      if (status) status.textContent = "Could not copy; select the text and copy it yourself.";
    }
  });
}

// A second click on a form's submit button would post it twice.
for (const form of document.querySelectorAll("form")) {
  form.addEventListener("submit", () => {
    setTimeout(() => {
      for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
    }, 0);
  });
}
// Coming back to the page (the back button) must not find them still disabled.
window.addEventListener("pageshow", () => {
  for (const button of document.querySelectorAll("button[type=submit]")) button.disabled = false;
});
