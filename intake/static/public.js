// Progressive enhancement only: every page works without this file.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
var summary = document.getElementById("error-summary");
if (summary) { summary.focus(); }
