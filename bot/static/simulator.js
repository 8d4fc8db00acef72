// The simulator page: sends what the person does as LINE webhook events and shows what the bot sent back.
"use strict";
(function () {
  const log = document.getElementById("log");
  const quick = document.getElementById("quick");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  let since = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(node) {
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }

  async function send(kind, fields, file) {
    const form = new FormData();
    form.append("kind", kind);
    for (const [key, value] of Object.entries(fields || {})) form.append(key, value);
    if (file) form.append("file", file);
    quick.replaceChildren();
    const answer = await fetch("/simulator/send", { method: "POST", body: form, headers: { "X-CSRFToken": csrf } });
    if (!answer.ok) show(el("p", "system", "ส่งไม่สำเร็จ (ระบบตอบ " + answer.status + ") กรุณาลองอีกครั้ง"));
    poll();
  }

  function userSays(text) { show(el("p", "msg user", text)); }

  function act(action) {
    // Carry out a LINE action from a button or a quick reply, as the LINE app would.
    switch (action.type) {
      case "message": userSays(action.text); return send("text", { text: action.text });
      case "postback": if (action.displayText) userSays(action.displayText); return send("postback", { data: action.data });
      case "uri": return window.open(action.uri, "_blank", "noopener");
      case "camera": case "cameraRoll": return document.getElementById("image-input").click();
      case "location": return sendLocation();
    }
  }

  function sendLocation() {
    userSays("📍 ส่งตำแหน่งที่ตั้ง");
    return send("location", { latitude: "14.9799", longitude: "102.0977", address: "ตำบลสุจริตธรรม (ตำแหน่งตัวอย่าง)" });
  }

  function flexNode(node) {
    switch (node.type) {
      case "box": {
        const box = el("div", "flex-box " + (node.layout || "vertical"));
        (node.contents || []).forEach((child) => box.appendChild(flexNode(child)));
        return box;
      }
      case "text": {
        const text = el("p", "flex-text size-" + (node.size || "md") + (node.weight === "bold" ? " bold" : ""), node.text);
        if (node.color) text.style.color = node.color;
        if (node.flex) text.style.flex = node.flex;
        return text;
      }
      case "button": {
        const button = el("button", node.style === "primary" ? "" : "secondary", node.action.label);
        button.type = "button";
        button.addEventListener("click", () => act(node.action));
        return button;
      }
      case "separator": return el("hr");
      case "image": { const img = el("img"); img.src = node.url; img.alt = ""; img.style.maxWidth = "100%"; return img; }
      default: return el("span");
    }
  }

  function flexBubble(message) {
    const contents = message.contents.type === "carousel" ? message.contents.contents : [message.contents];
    const wrapper = el("div");
    contents.forEach((bubble) => {
      const card = el("div", "flex-bubble");
      card.setAttribute("aria-label", message.altText);
      for (const part of ["header", "hero", "body", "footer"]) {
        if (!bubble[part]) continue;
        const section = el("div", "section " + part);
        section.appendChild(flexNode(bubble[part]));
        card.appendChild(section);
      }
      wrapper.appendChild(card);
    });
    return wrapper.childElementCount === 1 ? wrapper.firstChild : wrapper;
  }

  function showQuick(items) {
    quick.replaceChildren();
    (items || []).forEach((item) => {
      const button = el("button", "", item.action.label);
      button.type = "button";
      button.addEventListener("click", () => act(item.action));
      quick.appendChild(button);
    });
  }

  function showMessage(message, via) {
    if (message.type === "text") show(el("p", "msg bot" + (via === "push" ? " via-push" : ""), message.text));
    else if (message.type === "flex") show(flexBubble(message));
    else show(el("p", "msg bot", "[" + message.type + "]"));
    if (message.quickReply) showQuick(message.quickReply.items);
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const answer = await fetch("/simulator/messages?since=" + since);
      if (answer.ok) {
        const data = await answer.json();
        since = data.last;
        data.items.forEach((item) => item.messages.forEach((m) => showMessage(m, item.via)));
      }
    } finally {
      polling = false;
    }
  }
  setInterval(poll, 700);

  document.getElementById("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = document.getElementById("message");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    userSays(text);
    send("text", { text: text });
  });
  document.querySelectorAll("[data-send]").forEach((button) => button.addEventListener("click", () => {
    const kind = button.dataset.send;
    if (kind === "location") return sendLocation();
    userSays(kind === "follow" ? "➕ เพิ่มเพื่อน" : "😊 (สติกเกอร์)");
    send(kind, {});
  }));
  document.querySelectorAll("[data-postback]").forEach((button) => button.addEventListener("click", () => {
    act({ type: "postback", data: button.dataset.postback, displayText: button.dataset.display });
  }));
  const icons = { image: "🖼 ", file: "📎 ", video: "🎬 ", audio: "🎙 " };
  for (const [id, kind] of [["image-input", "image"], ["file-input", "file"], ["clip-input", "clip"]]) {
    document.getElementById(id).addEventListener("change", (e) => {
      const file = e.target.files[0];
      if (!file) return;
      // LINE sends a clip as a video or an audio message; the phone knows which from the file.
      const sent = kind === "clip" ? (file.type.startsWith("audio/") ? "audio" : "video") : kind;
      userSays(icons[sent] + file.name);
      send(sent, {}, file);
      e.target.value = "";
    });
  }
})();
