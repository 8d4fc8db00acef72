// Staff console behaviour, kept out of the pages so the Content-Security-Policy forbids inline script.
"use strict";

// Ask before an irreversible step: a form with data-confirm goes only when the officer agrees.
// data-confirm-if-filled="field" asks only when that field holds text (a reply to the citizen).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset ? form.dataset.confirm : undefined;
  if (!question) return;
  const field = form.dataset.confirmIfFilled;
  if (field && !(form.elements[field] && form.elements[field].value.trim())) return;
  if (!window.confirm(question)) event.preventDefault();
});
