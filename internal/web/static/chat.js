// Parley chat page. It talks to the same-origin chat API with fetch() and
// builds every bubble with textContent: nothing the bot or the user says is
// ever read as HTML.
(function () {
  "use strict";

  var root = document.getElementById("chat");
  var api = root.getAttribute("data-api");
  var log = document.getElementById("log");
  var form = document.getElementById("send");
  var input = document.getElementById("message");
  var sendButton = document.getElementById("send-button");
  var typing = document.getElementById("typing");
  var status = document.getElementById("status");
  var restart = document.getElementById("restart");
  var busy = false;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // Buttons answer the message they came with; once the user has said
  // something after it, they are switched off.
  function retireChoices() {
    var old = log.querySelectorAll(".choices button");
    for (var i = 0; i < old.length; i++) { old[i].disabled = true; }
  }

  function addUser(text) {
    retireChoices();
    var msg = el("div", "msg user");
    msg.appendChild(el("span", "visually-hidden", "You said:"));
    msg.appendChild(el("p", "text", text));
    log.appendChild(msg);
  }

  function addText(msg, m) {
    var p = el("p", "text");
    var parts = m.parts && m.parts.length ? m.parts : [{text: m.text}];
    parts.forEach(function (part) {
      if (!part.href) { p.appendChild(document.createTextNode(part.text)); return; }
      var a = el("a", null, part.text);
      a.href = part.href;
      a.target = "_blank";
      a.rel = "noopener noreferrer nofollow ugc";
      p.appendChild(a);
    });
    msg.appendChild(p);
  }

  function addChoices(msg, buttons) {
    var box = el("div", "choices");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Answers to choose from");
    buttons.forEach(function (b) {
      var btn = el("button", null, b.title || b.payload);
      btn.type = "button";
      btn.addEventListener("click", function () { send(b.payload, b.title || b.payload); });
      box.appendChild(btn);
    });
    msg.appendChild(box);
  }

  function addBot(m) {
    var msg = el("div", "msg bot");
    msg.appendChild(el("span", "visually-hidden", "The bot said:"));
    if (m.text) { addText(msg, m); }
    if (m.image) {
      var img = el("img");
      img.src = m.image;
      img.alt = "Image sent by the bot";
      img.loading = "lazy";
      msg.appendChild(img);
    }
    if (m.custom) { msg.appendChild(el("pre", "custom", m.custom)); }
    if (m.buttons && m.buttons.length) { addChoices(msg, m.buttons); }
    log.appendChild(msg);
  }

  function note(text) {
    log.appendChild(el("p", "note", text));
    scrollDown();
  }

  function show(data) {
    (data.messages || []).forEach(function (m) {
      if (m.from === "user") { addUser(m.text); } else { addBot(m); }
    });
    if (!log.firstChild) { log.appendChild(el("p", "empty", "Say hello to start.")); }
    scrollDown();
  }

  function call(method, path, body) {
    var opts = {method: method, credentials: "same-origin", headers: {"Accept": "application/json"}};
    if (body) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(api + path, opts).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) { throw new Error(data.error || "The server answered " + res.status + "."); }
        return data;
      });
    });
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    sendButton.disabled = on;
    status.textContent = on ? "The bot is typing." : "";
    if (on) { scrollDown(); }
  }

  function run(method, path, body, before) {
    if (busy) { return; }
    setBusy(true);
    call(method, path, body).then(function (data) {
      if (before) { before(); }
      show(data);
    }).catch(function (err) {
      note(err.message === "Failed to fetch" ? "Could not reach the server. Try again." : err.message);
    }).then(function () { setBusy(false); });
  }

  function send(text, title) {
    if (busy || !text) { return; }
    var empty = log.querySelector(".empty");
    if (empty) { empty.remove(); }
    addUser(title || text);
    scrollDown();
    run("POST", "/chat", title ? {message: text, title: title} : {message: text});
    input.focus();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || busy) { return; }
    input.value = "";
    send(text);
  });

  restart.addEventListener("submit", function (e) {
    e.preventDefault();
    run("POST", "/restart", null, function () { log.textContent = ""; });
    input.focus();
  });

  run("GET", "/history");
})();
