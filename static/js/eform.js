/* The e-form in the browser: show, hide and require fields live, and autosave the draft.
   Which fields show and which are required is asked of the server on every change (the form's
   data-state address): one evaluation of the procedure's rules, the submission's own, so the
   page never judges a rule differently. Without JavaScript the form still works: the server
   evaluates the rules on every save. */
(function () {
  "use strict";
  var form = document.querySelector("form.eform");
  if (!form || !window.fetch) { return; }
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
  var asking = null, latest = 0;

  function apply(states) {
    blocks.forEach(function (block) {
      var key = block.getAttribute("data-field"), state = states[key];
      if (!state) { return; }
      block.hidden = !state.visible;
      if (!block.hasAttribute("data-type")) { return; }  // a section heading
      var marker = block.querySelector(".req");
      if (marker) { marker.hidden = !state.required; }
      var input = form.elements[key];
      if (input && input.tagName) { input.required = state.required; input.disabled = !state.visible; }
    });
  }

  function refresh() {
    clearTimeout(asking);
    asking = setTimeout(function () {
      var body = new FormData(form), asked = ++latest;
      fetch(form.getAttribute("data-state"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRFToken": body.get("csrfmiddlewaretoken")}
      }).then(function (r) { return r.json(); }).then(function (states) {
        if (asked === latest) { apply(states); form.setAttribute("data-states-at", String(asked)); }
      }).catch(function () { /* offline: the page keeps what it shows; the server decides on save */ });
    }, 120);
  }

  var timer = null, status = document.getElementById("autosave-status");
  function autosave() {
    var body = new FormData(form);
    fetch(form.getAttribute("data-autosave"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-Autosave": "1", "X-CSRFToken": body.get("csrfmiddlewaretoken")}
    }).then(function (r) { return r.json(); }).then(function (answer) {
      if (status && answer.saved) { status.textContent = (status.getAttribute("data-saved") || "Saved") + " " + answer.at; }
    }).catch(function () { /* offline: the next change or the Save button tries again */ });
  }

  form.addEventListener("input", function () { refresh(); clearTimeout(timer); timer = setTimeout(autosave, 1500); });
  form.addEventListener("change", function () { refresh(); clearTimeout(timer); timer = setTimeout(autosave, 800); });
  refresh();
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
