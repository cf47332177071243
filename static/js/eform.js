/* The e-form in the browser: show, hide and require fields live with the same JSON Logic
   rules the server checks (json-logic-js), and autosave the draft. Without JavaScript the
   form still works: the server evaluates the rules on every save. */
(function () {
  "use strict";
  var form = document.querySelector("form.eform");
  if (!form || !window.jsonLogic) { return; }
  var applicant = JSON.parse(document.getElementById("eform-applicant").textContent);
  var channel = JSON.parse(document.getElementById("eform-channel").textContent);
  var blocks = Array.prototype.slice.call(form.querySelectorAll("[data-field]"));

  function valueOf(block) {
    var type = block.getAttribute("data-type");
    var key = block.getAttribute("data-field");
    if (type === "boolean") { var box = form.elements[key]; return !!(box && box.checked); }
    if (type === "multichoice") {
      return Array.prototype.slice.call(block.querySelectorAll("input:checked")).map(function (i) { return i.value; });
    }
    var input = form.elements[key];
    if (!input || input.value === "") { return undefined; }
    if (type === "integer" || type === "decimal" || type === "money") { return Number(input.value); }
    return input.value;
  }

  function state() {
    var data = {};
    blocks.forEach(function (block) {
      if (block.hidden || !block.hasAttribute("data-type")) { return; }
      var value = valueOf(block);
      if (value !== undefined) { data[block.getAttribute("data-field")] = value; }
    });
    return {data: data, applicant: applicant, channel: channel};
  }

  function truthy(rule, ctx) {
    try { return !!jsonLogic.apply(JSON.parse(rule), ctx); } catch (e) { return true; }
  }

  function refresh() {
    // A few rounds: a field may depend on a field that is itself conditional.
    for (var round = 0; round < 5; round++) {
      var ctx = state(), changed = false, sectionVisible = true;
      blocks.forEach(function (block) {
        var isSection = !block.hasAttribute("data-type");
        var visible = truthy(block.getAttribute("data-visible"), ctx);
        if (isSection) { sectionVisible = visible; } else { visible = visible && sectionVisible; }
        if (block.hidden === visible) { block.hidden = !visible; changed = true; }
        if (isSection) { return; }
        var required = visible && truthy(block.getAttribute("data-required"), ctx);
        var marker = block.querySelector(".req");
        if (marker) { marker.hidden = !required; }
        var input = form.elements[block.getAttribute("data-field")];
        if (input && input.tagName) { input.required = required; input.disabled = !visible; }
      });
      if (!changed) { break; }
    }
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
