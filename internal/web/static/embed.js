// Parley chat for another site. Add to its page:
//   <script src="https://chat.example.com/static/embed.js" defer></script>
// A round button opens the chat in a frame at the bottom right. With
// data-target="#some-id" the frame fills that element instead, and
// data-title names the frame for screen readers. The site's origin must be
// in PARLEY_EMBED_ORIGINS, or the browser refuses to show the frame.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src, document.baseURI).origin;
  var title = script.getAttribute("data-title") || "Chat";
  var target = script.getAttribute("data-target");

  function frame() {
    var f = document.createElement("iframe");
    f.src = origin + "/embed";
    f.title = title;
    f.setAttribute("allow", "clipboard-write");
    // The host page may style or wait on a loaded chat.
    f.addEventListener("load", function () { f.setAttribute("data-loaded", "true"); });
    Object.assign(f.style, {border: "0", width: "100%", height: "100%", display: "block"});
    return f;
  }

  function inline(box) {
    var f = frame();
    f.style.minHeight = "32rem";
    box.appendChild(f);
  }

  function floating() {
    var panel = document.createElement("div");
    Object.assign(panel.style, {
      position: "fixed", right: "16px", bottom: "88px", width: "min(380px, calc(100vw - 32px))",
      height: "min(600px, calc(100vh - 120px))", borderRadius: "16px", overflow: "hidden",
      boxShadow: "0 12px 40px rgba(0,0,0,.25)", background: "#fff", display: "none",
      zIndex: "2147483000"
    });
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.textContent = "\u{1F4AC}";
    toggle.setAttribute("aria-label", "Open " + title);
    toggle.setAttribute("aria-expanded", "false");
    Object.assign(toggle.style, {
      position: "fixed", right: "16px", bottom: "16px", width: "56px", height: "56px",
      borderRadius: "50%", border: "0", background: "#2557d6", color: "#fff",
      fontSize: "24px", cursor: "pointer", boxShadow: "0 6px 20px rgba(0,0,0,.25)",
      zIndex: "2147483000"
    });
    toggle.addEventListener("click", function () {
      var open = panel.style.display === "none";
      if (open && !panel.firstChild) { panel.appendChild(frame()); }
      panel.style.display = open ? "block" : "none";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.setAttribute("aria-label", (open ? "Close " : "Open ") + title);
    });
    document.body.appendChild(panel);
    document.body.appendChild(toggle);
  }

  function start() {
    var box = target ? document.querySelector(target) : null;
    if (box) { inline(box); } else { floating(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
