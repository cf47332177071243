/* The catalogue editor in the admin (templates/admin/catalog/editor.html).
 *
 * Everything works without this file: rows are ordered by their "Order" number and one blank
 * row per list is there to fill in. With it: "Add a row" buttons, move up / move down buttons
 * that renumber the rows, and form-field rows that show only the extras of their type.
 */
(function () {
  "use strict";

  var EXTRAS = {
    max_length: ["text", "textarea"],
    pattern: ["text", "textarea"],
    minimum: ["integer", "decimal", "money", "date"],
    maximum: ["integer", "decimal", "money", "date"],
    choices: ["choice", "multichoice"],
    level: ["agency"],
  };
  var NOT_FOR_SECTIONS = ["required_mode", "required_rule", "prefill", "default"];

  function orderInput(row) {
    return row.querySelector(".f-ORDER input");
  }

  function rowsOf(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("tbody > tr[data-row]"));
  }

  function highestOrder(fieldset) {
    return rowsOf(fieldset).reduce(function (max, row) {
      var input = orderInput(row);
      var value = input ? parseInt(input.value, 10) : NaN;
      return isNaN(value) ? max : Math.max(max, value);
    }, 0);
  }

  function renumber(fieldset, moved) {
    var n = 0;
    rowsOf(fieldset).forEach(function (row) {
      var input = orderInput(row);
      if (input && (input.value !== "" || row === moved)) {
        n += 1;
        input.value = String(n);
      }
    });
  }

  function valueOf(wrapper) {
    var input = wrapper && wrapper.querySelector("input:not([type=checkbox]), select, textarea");
    return input ? input.value.trim() : "";
  }

  function showExtras(row) {
    var type = row.querySelector(".f-type select");
    if (!type) return;
    Object.keys(EXTRAS).forEach(function (name) {
      var wrapper = row.querySelector(".f-" + name);
      if (!wrapper) return;
      var relevant = EXTRAS[name].indexOf(type.value) !== -1 || valueOf(wrapper) !== "";
      wrapper.classList.toggle("is-hidden-extra", !relevant);
    });
    NOT_FOR_SECTIONS.forEach(function (name) {
      var wrapper = row.querySelector(".f-" + name);
      if (wrapper) wrapper.classList.toggle("is-hidden-extra", type.value === "section" && valueOf(wrapper) === "");
    });
    showRule(row);
  }

  function showRule(row) {
    var mode = row.querySelector(".f-required_mode select");
    var rule = row.querySelector(".f-required_rule");
    if (!mode || !rule) return;
    var section = row.querySelector(".f-type select");
    var hidden = (mode.value !== "when" && valueOf(rule) === "") || (section && section.value === "section");
    rule.classList.toggle("is-hidden-extra", hidden);
  }

  function button(label, onClick, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    if (className) b.className = className;
    b.addEventListener("click", onClick);
    return b;
  }

  function setUpRow(root, fieldset, row) {
    var cell = row.querySelector("th.row-number");
    if (cell && !cell.querySelector(".row-tools")) {
      var tools = document.createElement("span");
      tools.className = "row-tools";
      tools.appendChild(button("↑", function () {
        var before = row.previousElementSibling;
        if (before && before.hasAttribute("data-row")) {
          row.parentNode.insertBefore(row, before);
          renumber(fieldset, row);
        }
      }));
      tools.appendChild(button("↓", function () {
        var after = row.nextElementSibling;
        if (after && after.hasAttribute("data-row")) {
          row.parentNode.insertBefore(after, row);
          renumber(fieldset, row);
        }
      }));
      tools.firstChild.title = root.dataset.upLabel;
      tools.firstChild.setAttribute("aria-label", root.dataset.upLabel);
      tools.lastChild.title = root.dataset.downLabel;
      tools.lastChild.setAttribute("aria-label", root.dataset.downLabel);
      cell.appendChild(tools);
    }
    // Typing into the blank row gives it the next position.
    row.addEventListener("input", function () {
      var input = orderInput(row);
      if (input && input.value === "") input.value = String(highestOrder(fieldset) + 1);
    });
    var type = row.querySelector(".f-type select");
    if (type) type.addEventListener("change", function () { showExtras(row); });
    var mode = row.querySelector(".f-required_mode select");
    if (mode) mode.addEventListener("change", function () { showRule(row); });
    if (type) showExtras(row); else showRule(row);
  }

  function setUpFormset(root, fieldset) {
    var prefix = fieldset.dataset.prefix;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template.empty-row");
    var tbody = fieldset.querySelector("tbody");
    rowsOf(fieldset).forEach(function (row) { setUpRow(root, fieldset, row); });
    if (!total || !template || !tbody) return;
    fieldset.appendChild(button(root.dataset.addLabel, function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("tr");
      var empty = tbody.querySelector("tr.no-rows");
      if (empty) empty.remove();
      tbody.appendChild(row);
      total.value = String(index + 1);
      var input = orderInput(row);
      if (input) input.value = String(highestOrder(fieldset) + 1);
      row.querySelector("th.row-number").firstChild.textContent = String(rowsOf(fieldset).length);
      setUpRow(root, fieldset, row);
      // Other enhancements of the rows (rule-builder.js) set up the new one too.
      row.dispatchEvent(new CustomEvent("catalog-editor:row-added", { bubbles: true }));
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }, "add-row"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("catalog-editor");
    if (!root || !root.classList.contains("editable")) return;
    Array.prototype.forEach.call(root.querySelectorAll("fieldset.formset"), function (fieldset) {
      setUpFormset(root, fieldset);
    });
  });
})();
