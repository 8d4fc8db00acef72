// Buddhist-Era date fields: a small calendar under each .be-date input (Thai months, BE years).
// The field stays a plain text box (วว/ดด/ปปปป), so typing works and nothing depends on this script.
(function () {
  "use strict";
  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];

  function parse(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    if (!m) { return null; }
    var d = new Date(+m[3] - 543, +m[2] - 1, +m[1]);
    return isNaN(d.getTime()) ? null : d;
  }

  function format(d) {
    return d.getDate() + "/" + (d.getMonth() + 1) + "/" + (d.getFullYear() + 543);
  }

  function button(text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }
    b.addEventListener("click", onClick);
    return b;
  }

  function attach(input) {
    var panel = document.createElement("div");
    panel.className = "be-calendar";
    panel.hidden = true;
    var shown = parse(input.value) || new Date();
    var open = button("ปฏิทิน", "เลือกวันที่จากปฏิทิน", function () {
      panel.hidden = !panel.hidden;
      if (!panel.hidden) { shown = parse(input.value) || new Date(); draw(); }
    });
    open.className = "be-open";
    input.insertAdjacentElement("afterend", open);
    open.insertAdjacentElement("afterend", panel);

    function draw() {
      panel.textContent = "";
      var head = document.createElement("div");
      head.className = "be-head";
      head.appendChild(button("‹", "เดือนก่อน", function () { shown.setMonth(shown.getMonth() - 1); draw(); }));
      var title = document.createElement("strong");
      title.textContent = MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + 543);
      head.appendChild(title);
      head.appendChild(button("›", "เดือนถัดไป", function () { shown.setMonth(shown.getMonth() + 1); draw(); }));
      panel.appendChild(head);
      var grid = document.createElement("div");
      grid.className = "be-grid";
      DAYS.forEach(function (d) { var s = document.createElement("span"); s.textContent = d; grid.appendChild(s); });
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      for (var i = 0; i < first.getDay(); i++) { grid.appendChild(document.createElement("span")); }
      var last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      for (var day = 1; day <= last; day++) {
        (function (day) {
          var when = new Date(shown.getFullYear(), shown.getMonth(), day);
          grid.appendChild(button(String(day), format(when), function () {
            input.value = format(when);
            panel.hidden = true;
            input.focus();
          }));
        })(day);
      }
      panel.appendChild(grid);
    }
  }

  document.querySelectorAll("input.be-date").forEach(attach);
})();
