// Progressive enhancement only: every page works without this file.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
var summary = document.getElementById("error-summary");
if (summary) { summary.focus(); }

// Long text fields say how much is left instead of cutting silently; the server checks the same limit.
document.querySelectorAll("textarea[data-limit]").forEach(function (field) {
  var limit = parseInt(field.getAttribute("data-limit"), 10);
  var counter = document.getElementById(field.id + "-count");
  if (!counter) { return; }
  function update() {
    var used = field.value.length;
    counter.textContent = "พิมพ์แล้ว " + used.toLocaleString("th-TH") + " จาก " + limit.toLocaleString("th-TH") +
      " ตัวอักษร" + (used > limit ? " (เกิน " + (used - limit).toLocaleString("th-TH") + " ตัวอักษร กรุณาตัดให้สั้นลง)" : "");
    counter.classList.toggle("over", used > limit);
  }
  field.addEventListener("input", update);
  update();
});

// Evidence files are checked before sending, so a too-large choice never costs the citizen what they typed.
document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
  var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
  var maxClipBytes = parseInt(input.getAttribute("data-max-clip-bytes") || input.getAttribute("data-max-bytes"), 10);
  var maxFiles = parseInt(input.getAttribute("data-max-files"), 10);
  var message = document.getElementById(input.id + "-check");
  function megabytes(bytes) { return Math.floor(bytes / 1048576); }
  function problem() {
    var files = Array.prototype.slice.call(input.files || []);
    if (files.length > maxFiles) { return "เลือกไฟล์ได้ไม่เกิน " + maxFiles + " ไฟล์ ตอนนี้เลือกไว้ " + files.length + " ไฟล์"; }
    for (var i = 0; i < files.length; i++) {
      var clip = /^(video|audio)\//.test(files[i].type);
      var limit = clip ? maxClipBytes : maxBytes;
      if (files[i].size > limit) {
        return (clip ? "คลิป" : "ไฟล์") + " “" + files[i].name + "” มีขนาด " + (files[i].size / 1048576).toFixed(1) +
          " MB เกินกำหนด " + megabytes(limit) + " MB กรุณาเลือกไฟล์อื่นหรือย่อขนาด ข้อความที่กรอกไว้ยังอยู่ครบ";
      }
    }
    return "";
  }
  function show() {
    var text = problem();
    if (message) { message.textContent = text; message.hidden = !text; }
    if (text) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
    return text;
  }
  input.addEventListener("change", show);
  if (input.form) {
    input.form.addEventListener("submit", function (event) {
      if (show()) { event.preventDefault(); input.focus(); }
    });
  }
});
