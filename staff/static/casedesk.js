// The case desk's few behaviours, kept out of the pages so a strict Content-Security-Policy holds.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
