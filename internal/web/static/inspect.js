// Parley inspector: the "Retrain" button starts a training and polls its
// progress until it ends, then reloads the page to show the new model.
(function () {
  "use strict";

  var button = document.getElementById("retrain");
  if (!button) { return; }
  var box = document.getElementById("retrain-progress");
  var stage = document.getElementById("retrain-stage");
  var bar = document.getElementById("retrain-bar");
  var note = document.getElementById("retrain-note");

  function show(state) {
    box.hidden = false;
    stage.textContent = state.running ? "Training: " + (state.stage || "starting") :
      (state.error ? "Training failed" : "Training done");
    if (state.total > 0) {
      bar.max = state.total;
      bar.value = state.done;
    } else {
      bar.removeAttribute("value");
    }
    note.textContent = state.error || (state.model ? "Now using " + state.model + "." : "");
    button.disabled = state.running;
  }

  function call(method) {
    return fetch("/inspect/retrain", {method: method, credentials: "same-origin",
      headers: {"Accept": "application/json"}}).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) { throw new Error(data.error || "The server answered " + res.status + "."); }
        return data;
      });
    });
  }

  function poll() {
    call("GET").then(function (state) {
      show(state);
      if (state.running) {
        setTimeout(poll, 500);
      } else if (!state.error) {
        setTimeout(function () { window.location.reload(); }, 800);
      }
    }).catch(function (err) {
      note.textContent = err.message;
      button.disabled = false;
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    call("POST").then(function (state) { show(state); poll(); }).catch(function (err) {
      box.hidden = false;
      note.textContent = err.message;
      button.disabled = false;
    });
  });

  if (button.getAttribute("data-running") === "true") {
    button.disabled = true;
    poll();
  }
})();
