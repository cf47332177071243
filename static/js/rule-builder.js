/* The rule builder of the catalogue editor (templates/admin/catalog/editor.html).
 *
 * Every condition of the editor is a text input holding JSON Logic (input.json-rule). This
 * file puts a builder next to each one: rows of (field, operator, value) taken from the
 * procedure's own form, joined by AND or OR, written back into the input as JSON Logic, and
 * read back as a sentence ("Shown when Filed by is An authorised person."). The input stays
 * the one thing the form submits, and stays editable as JSON for experts ("Edit as JSON
 * Logic"); a rule the builder cannot show (nested groups, other operators) is left alone.
 *
 * Data and words come from the page, never from here: the fields from
 * <script type="application/json" id="rule-fields">, the phrases and labels from the data
 * attributes of #rule-words (translated on the server, the same phrases the server's
 * sentences use: egov/catalog/rule_text.py). No network, no inline code (CSP).
 *
 * It also gives the agency lists (inputs with data-agency-picker) a picker that adds a unit
 * code chosen from the #agency-codes list.
 */
(function () {
  "use strict";

  var TEXT_OPS = ["eq", "ne", "filled", "empty"];
  var NUMBER_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "filled", "empty"];
  // The operators offered for each type of field (the first is the default).
  var OPS = {
    text: TEXT_OPS, textarea: TEXT_OPS, email: TEXT_OPS, phone: TEXT_OPS, personal_id: TEXT_OPS,
    tax_code: TEXT_OPS, agency: TEXT_OPS,
    integer: NUMBER_OPS, decimal: NUMBER_OPS, money: NUMBER_OPS,
    date: ["eq", "ne", "after", "from", "before", "until", "filled", "empty"],
    boolean: ["ticked", "unticked"],
    choice: ["eq", "ne", "oneof", "filled", "empty"],
    multichoice: ["includes", "filled", "empty"],
  };
  // Operator key → JSON Logic; dates say "after" where numbers say "more than".
  var COMPARE = { eq: "==", ne: "!=", gt: ">", ge: ">=", lt: "<", le: "<=",
                  after: ">", from: ">=", before: "<", until: "<=" };
  var NUMBER_KEYS = { "==": "eq", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le" };
  var DATE_KEYS = { "==": "eq", "!=": "ne", ">": "after", ">=": "from", "<": "before", "<=": "until" };
  var NO_VALUE = ["filled", "empty", "ticked", "unticked"];
  var NUMBER_TYPES = ["integer", "decimal", "money"];

  var subjects = [];
  var words = {};

  // --- small helpers ------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(node, visible) {
    node.classList.toggle("rb-hidden", !visible);
  }

  // "%(field)s is %(value)s" filled in, as Python's % does it.
  function fill(pattern, values) {
    return String(pattern || "").replace(/%\((\w+)\)s|%%/g, function (match, name) {
      if (match === "%%") return "%";
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isScalar(value) {
    return value === null || ["string", "number", "boolean"].indexOf(typeof value) !== -1;
  }

  function opsFor(subject) {
    return OPS[subject.type] || TEXT_OPS;
  }

  function subjectByVar(path) {
    for (var i = 0; i < subjects.length; i += 1) {
      if (subjects[i].var === path) return subjects[i];
    }
    return null;
  }

  function choiceOf(subject, value) {
    var choices = subject.choices || [];
    for (var i = 0; i < choices.length; i += 1) {
      if (String(choices[i].value) === String(value)) return choices[i];
    }
    return null;
  }

  // {"var": "data.x"} or {"var": ["data.x"]} → "data.x"; anything else → null.
  function varPath(node) {
    if (!isObject(node) || Object.keys(node).length !== 1 || !("var" in node)) return null;
    var path = node.var;
    if (Array.isArray(path)) path = path.length === 1 ? path[0] : null;
    return typeof path === "string" && path ? path : null;
  }

  // --- JSON Logic ⇄ builder rows -------------------------------------------------------------

  // A row the builder can show, or null. A value must be one of a choice field's choices.
  function rowOf(subject, op, value) {
    if (!subject || opsFor(subject).indexOf(op) === -1) return null;
    if ((subject.choices || []).length && ["eq", "ne", "includes"].indexOf(op) !== -1 && !choiceOf(subject, value)) {
      return null;
    }
    if (op === "oneof" && !value.every(function (v) { return choiceOf(subject, v); })) return null;
    return { subject: subject, op: op, value: value };
  }

  function truthRow(node, truthy) {
    var subject = subjectByVar(varPath(node));
    if (!subject) return null;
    var boolean = subject.type === "boolean";
    return rowOf(subject, truthy ? (boolean ? "ticked" : "filled") : (boolean ? "unticked" : "empty"), null);
  }

  function parseCondition(node) {
    if (!isObject(node) || Object.keys(node).length !== 1) return null;
    var op = Object.keys(node)[0];
    var args = node[op];
    if (op === "var") return truthRow(node, true);
    if (op === "!" || op === "!!") {
      var inner = Array.isArray(args) ? (args.length === 1 ? args[0] : null) : args;
      return varPath(inner) ? truthRow(inner, op === "!!") : null;
    }
    if (!Array.isArray(args) || args.length !== 2) return null;
    if (NUMBER_KEYS[op]) {
      var subject = subjectByVar(varPath(args[0]));
      if (!subject || !isScalar(args[1]) || args[1] === null || typeof args[1] === "boolean") return null;
      return rowOf(subject, (subject.type === "date" ? DATE_KEYS : NUMBER_KEYS)[op], args[1]);
    }
    if (op === "in") {
      if (varPath(args[0]) && Array.isArray(args[1]) && args[1].length && args[1].every(isScalar)) {
        return rowOf(subjectByVar(varPath(args[0])), "oneof", args[1]);
      }
      if (varPath(args[1]) && isScalar(args[0]) && args[0] !== null) {
        return rowOf(subjectByVar(varPath(args[1])), "includes", args[0]);
      }
    }
    return null;
  }

  // The builder's state for the input's text: {group, rows}, or null when it cannot show it.
  function parse(text) {
    text = text.trim();
    if (!text) return { group: "and", rows: [] };
    var rule;
    try {
      rule = JSON.parse(text);
    } catch (e) {
      return null;
    }
    if (isObject(rule) && Object.keys(rule).length === 1 && ("and" in rule || "or" in rule)) {
      var group = "and" in rule ? "and" : "or";
      var items = rule[group];
      if (!Array.isArray(items) || !items.length) return null;
      var rows = items.map(parseCondition);
      return rows.indexOf(null) === -1 ? { group: group, rows: rows } : null;
    }
    var row = parseCondition(rule);
    return row ? { group: "and", rows: [row] } : null;
  }

  // A row as JSON Logic, or null while it lacks a value.
  function ruleOf(row) {
    var v = { "var": row.subject.var };
    if (row.op === "ticked") return v;
    if (row.op === "filled") return { "!!": v };
    if (row.op === "empty" || row.op === "unticked") return { "!": v };
    if (row.op === "oneof") return row.value.length ? { "in": [v, row.value] } : null;
    if (row.value === "" || row.value === null) return null;
    if (row.op === "includes") return { "in": [row.value, v] };
    var rule = {};
    rule[COMPARE[row.op]] = [v, row.value];
    return rule;
  }

  function serialize(state) {
    var parts = state.rows.map(ruleOf).filter(Boolean);
    if (!parts.length) return null;
    if (parts.length === 1) return parts[0];
    var rule = {};
    rule[state.group] = parts;
    return rule;
  }

  // --- the sentence (the server's rule_text.describe, for what the builder shows) ------------

  function valueText(subject, value) {
    var choice = choiceOf(subject, value);
    if (choice) return choice.label;
    if (typeof value === "number" || subject.type === "date" || NUMBER_TYPES.indexOf(subject.type) !== -1) {
      return String(value);
    }
    if ((subject.choices || []).length) return String(value);
    return "“" + value + "”";
  }

  function rowText(row) {
    var values = { field: row.subject.label };
    if (row.op === "oneof") {
      values.value = row.value.map(function (v) { return valueText(row.subject, v); }).join(" / ");
    } else if (NO_VALUE.indexOf(row.op) === -1) {
      values.value = valueText(row.subject, row.value);
    }
    return fill(words[row.op], values);
  }

  function describe(state) {
    var texts = state.rows.filter(ruleOf).map(rowText);
    if (!texts.length) return "";
    if (texts.length === 1) return texts[0];
    if (texts.length === 2) return fill(words[state.group], { first: texts[0], second: texts[1] });
    return fill(words[state.group === "and" ? "allof" : "anyof"], { rules: texts.join("; ") });
  }

  // --- the builder next to one input ---------------------------------------------------------

  function stepOf(input) {
    // In the steps' own fields, a condition may also name the fields of its row's step.
    var row = input.closest("tr[data-row]");
    var step = row && row.closest("#part-step_fields") ? row.querySelector(".f-step input") : null;
    return step ? step.value.trim() : null;
  }

  function fieldSelect(input, current) {
    var select = el("select", "rb-field");
    select.setAttribute("aria-label", words.uiField);
    var step = stepOf(input);
    var groups = [
      [words.uiFormFields, function (s) { return s.var.indexOf("data.") === 0 && !s.step; }],
      // (a field of another step stays listed while a row names it: the validator will say)
      [words.uiStepFields, function (s) { return s.step && (s.step === step || s === current); }],
      [words.uiOthers, function (s) { return s.var.indexOf("data.") !== 0; }],
    ];
    groups.forEach(function (group) {
      var members = subjects.filter(group[1]);
      if (!members.length) return;
      var optgroup = el("optgroup");
      optgroup.label = group[0];
      members.forEach(function (s) {
        var option = el("option", "", s.label);
        option.value = s.var;
        optgroup.appendChild(option);
      });
      select.appendChild(optgroup);
    });
    select.value = current.var;
    return select;
  }

  function defaultValue(subject, op) {
    var first = (subject.choices || [])[0];
    if (op === "oneof") return first ? [first.value] : [];
    if (NO_VALUE.indexOf(op) !== -1) return null;
    return first && ["eq", "ne", "includes"].indexOf(op) !== -1 ? first.value : "";
  }

  function valueControl(row, onChange) {
    var subject = row.subject;
    var control;
    if (NO_VALUE.indexOf(row.op) !== -1) return null;
    if ((subject.choices || []).length) {
      control = el("select", "rb-value");
      control.multiple = row.op === "oneof";
      if (control.multiple) control.size = Math.min(subject.choices.length, 5);
      subject.choices.forEach(function (choice, index) {
        var option = el("option", "", choice.label);
        option.value = String(index);
        option.selected = control.multiple
          ? row.value.some(function (v) { return String(v) === String(choice.value); })
          : String(row.value) === String(choice.value);
        control.appendChild(option);
      });
      control.addEventListener("change", function () {
        var chosen = Array.prototype.filter.call(control.options, function (o) { return o.selected; })
          .map(function (o) { return subject.choices[parseInt(o.value, 10)].value; });
        onChange(control.multiple ? chosen : chosen[0]);
      });
    } else {
      control = el("input", "rb-value");
      var number = NUMBER_TYPES.indexOf(subject.type) !== -1;
      control.type = number ? "number" : subject.type === "date" ? "date" : "text";
      if (number) control.step = "any";
      if (subject.type === "agency") control.setAttribute("list", "agency-codes");
      control.value = row.value === null ? "" : String(row.value);
      control.addEventListener("input", function () {
        var text = control.value.trim();
        // A number is stored as a number; text that is not one yet leaves the row incomplete.
        if (number) onChange(text !== "" && isFinite(Number(text)) ? Number(text) : "");
        else onChange(control.value);
      });
    }
    control.setAttribute("aria-label", words.uiValue);
    return control;
  }

  function Builder(input) {
    this.input = input;
    this.writing = false;
    this.rawOpen = false;
    this.state = parse(input.value);
    var wrapper = input.parentNode;
    this.sentence = document.getElementById(input.id + "-sentence") || wrapper.querySelector(".rule-sentence");
    if (!this.sentence) {
      this.sentence = el("p", "rule-sentence");
      input.insertAdjacentElement("afterend", this.sentence);
    }
    this.box = el("div", "rule-builder");
    this.group = el("select", "rb-group");
    [["and", words.uiAll], ["or", words.uiAny]].forEach(function (pair) {
      var option = el("option", "", pair[1]);
      option.value = pair[0];
      this.group.appendChild(option);
    }, this);
    this.list = el("ul", "rb-rows");
    this.note = el("p", "rb-note");
    var tools = el("div", "rb-tools");
    this.add = el("button", "rb-add", "+ " + words.uiAdd);
    this.add.type = "button";
    this.toggle = el("button", "rb-toggle");
    this.toggle.type = "button";
    this.toggle.setAttribute("aria-controls", input.id);
    tools.appendChild(this.add);
    tools.appendChild(this.toggle);
    [this.group, this.list, this.note, tools].forEach(function (node) { this.box.appendChild(node); }, this);
    input.insertAdjacentElement("afterend", this.box);
    if (this.sentence.id) input.setAttribute("aria-describedby", this.sentence.id);

    var self = this;
    this.group.addEventListener("change", function () {
      self.state.group = self.group.value;
      self.commit();
    });
    this.add.addEventListener("click", function () {
      var subject = subjects.filter(function (s) { return !s.step || s.step === stepOf(input); })[0];
      if (!subject) return;
      var op = opsFor(subject)[0];
      self.state.rows.push({ subject: subject, op: op, value: defaultValue(subject, op) });
      self.render();
      self.commit();
      var selects = self.list.querySelectorAll(".rb-field");
      if (selects.length) selects[selects.length - 1].focus();
    });
    this.toggle.addEventListener("click", function () {
      self.rawOpen = !self.rawOpen;
      self.render();
      if (self.rawOpen) input.focus();
    });
    input.addEventListener("input", function () {
      if (self.writing) return;  // our own write, from commit()
      // An expert edits the JSON: the builder follows when it can show the new rule.
      self.rawOpen = true;
      self.state = parse(input.value);
      self.render();
      self.showSentence();
    });
    this.render();  // the server's sentence stays until something changes
  }

  Builder.prototype.render = function () {
    var state = this.state;
    var self = this;
    this.list.textContent = "";
    if (state) {
      state.rows.forEach(function (row) { self.list.appendChild(self.rowElement(row)); });
      this.group.value = state.group;
    }
    show(this.group, !!state && state.rows.length > 1);
    show(this.list, !!state && state.rows.length > 0);
    show(this.add, !!state);
    show(this.toggle, !!state);  // a rule the builder cannot show is edited as JSON, always open
    this.note.textContent = state ? "" : (this.isJSON() ? words.uiBeyond : words.uiInvalid);
    show(this.note, !state);
    var open = this.rawOpen || !state;
    this.input.classList.toggle("rb-raw-hidden", !open);
    this.toggle.textContent = open ? words.uiHideJson : words.uiShowJson;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.markIncomplete();
  };

  Builder.prototype.isJSON = function () {
    try {
      JSON.parse(this.input.value);
      return true;
    } catch (e) {
      return false;
    }
  };

  Builder.prototype.rowElement = function (row) {
    var self = this;
    var item = el("li", "rb-row");
    var field = fieldSelect(this.input, row.subject);
    var op = el("select", "rb-op");
    op.setAttribute("aria-label", words.uiOperator);
    opsFor(row.subject).forEach(function (key) {
      var option = el("option", "", words["op" + key.charAt(0).toUpperCase() + key.slice(1)]);
      option.value = key;
      op.appendChild(option);
    });
    op.value = row.op;
    var value = valueControl(row, function (v) {
      row.value = v;
      self.commit();
    });
    var remove = el("button", "rb-remove", "×");
    remove.type = "button";
    remove.title = words.uiRemove;
    remove.setAttribute("aria-label", words.uiRemove);

    function replace(focus) {
      var fresh = self.rowElement(row);
      item.replaceWith(fresh);
      fresh.querySelector(focus).focus();
    }

    field.addEventListener("change", function () {
      var subject = subjectByVar(field.value);
      var keep = opsFor(subject).indexOf(row.op) !== -1 && subject.type === row.subject.type &&
        !(subject.choices || []).length && !(row.subject.choices || []).length;
      row.subject = subject;
      if (!keep) {
        row.op = opsFor(subject)[0];
        row.value = defaultValue(subject, row.op);
      }
      replace(".rb-field");
      self.commit();
    });
    op.addEventListener("change", function () {
      var before = row.op;
      row.op = op.value;
      var shape = function (key) { return key === "oneof" ? "list" : NO_VALUE.indexOf(key) !== -1 ? "none" : "one"; };
      if (shape(before) !== shape(row.op)) row.value = defaultValue(row.subject, row.op);
      replace(".rb-op");
      self.commit();
    });
    remove.addEventListener("click", function () {
      self.state.rows.splice(self.state.rows.indexOf(row), 1);
      self.render();
      self.commit();
      self.add.focus();
    });
    item.appendChild(field);
    item.appendChild(op);
    if (value) item.appendChild(value);
    item.appendChild(remove);
    item.rowState = row;
    return item;
  };

  Builder.prototype.markIncomplete = function () {
    Array.prototype.forEach.call(this.list.children, function (item) {
      item.classList.toggle("is-incomplete", !ruleOf(item.rowState));
    });
  };

  // Write the builder's rule into the input (as the form submits it) and say it in words.
  Builder.prototype.commit = function () {
    var rule = serialize(this.state);
    var text = rule === null ? "" : JSON.stringify(rule);
    if (this.input.value !== text) {
      this.input.value = text;
      this.writing = true;
      try {
        // The row hears it as typing (catalog-editor.js numbers a new row's position).
        this.input.dispatchEvent(new Event("input", { bubbles: true }));
        this.input.dispatchEvent(new Event("change", { bubbles: true }));
      } finally {
        this.writing = false;
      }
    }
    show(this.group, this.state.rows.length > 1);
    show(this.list, this.state.rows.length > 0);
    this.markIncomplete();
    this.showSentence();
  };

  Builder.prototype.showSentence = function () {
    var text = "";
    if (this.state) {
      text = describe(this.state);
    } else if (this.input.value.trim() && this.isJSON()) {
      text = words.custom;
    }
    this.sentence.textContent = text ? fill(this.input.dataset.sentence || "%(rule)s", { rule: text }) : "";
  };

  Builder.prototype.refresh = function () {
    // The row's step changed: offer that step's fields.
    if (this.state) this.render();
  };

  // --- agency pickers --------------------------------------------------------------------------

  function agencyPicker(target) {
    var mode = target.dataset.agencyPicker;  // "comma": "a, b" (or "any"); "lines": one per line
    var box = el("div", "agency-picker");
    var pick = el("input");
    pick.type = "text";
    pick.setAttribute("list", "agency-codes");
    pick.setAttribute("autocomplete", "off");
    pick.placeholder = words.uiAgency;
    pick.setAttribute("aria-label", words.uiAgency);
    var add = el("button", "", words.uiAgencyAdd);
    add.type = "button";

    function addCode() {
      var code = pick.value.split(" — ")[0].trim();
      if (!code) return;
      if (mode === "lines") {
        var lines = target.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
        var known = lines.some(function (l) { return l.split(",")[0].trim() === code; });
        if (!known) lines.push(code);
        target.value = lines.join("\n");
      } else {
        var current = target.value.trim();
        var codes = current && current !== "any"
          ? current.split(",").map(function (c) { return c.trim(); }).filter(Boolean) : [];
        if (codes.indexOf(code) === -1) codes.push(code);
        target.value = codes.join(", ");
      }
      target.dispatchEvent(new Event("input", { bubbles: true }));
      pick.value = "";
    }

    add.addEventListener("click", addCode);
    pick.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // not the form's submit
        event.preventDefault();
        addCode();
      }
    });
    pick.addEventListener("input", function (event) {
      // Chosen from the list (not typed): add it at once.
      if (event.inputType === "insertReplacementText" || event.inputType === undefined) addCode();
    });
    box.appendChild(pick);
    box.appendChild(add);
    target.insertAdjacentElement("afterend", box);
  }

  // --- setting up ------------------------------------------------------------------------------

  function enhance(scope) {
    Array.prototype.forEach.call(scope.querySelectorAll("input.json-rule"), function (input) {
      if (input.ruleBuilder || input.disabled) return;
      input.ruleBuilder = new Builder(input);
    });
    Array.prototype.forEach.call(scope.querySelectorAll("[data-agency-picker]"), function (target) {
      if (target.agencyPicker || target.disabled) return;
      target.agencyPicker = true;
      agencyPicker(target);
    });
    Array.prototype.forEach.call(scope.querySelectorAll("#part-step_fields .f-step input"), function (step) {
      if (step.ruleBuilderWatch) return;
      step.ruleBuilderWatch = true;
      step.addEventListener("change", function () {
        var row = step.closest("tr[data-row]");
        Array.prototype.forEach.call(row.querySelectorAll("input.json-rule"), function (input) {
          if (input.ruleBuilder) input.ruleBuilder.refresh();
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("catalog-editor");
    var data = document.getElementById("rule-fields");
    var texts = document.getElementById("rule-words");
    if (!root || !root.classList.contains("editable") || !data || !texts) return;
    try {
      subjects = JSON.parse(data.textContent) || [];
    } catch (e) {
      return;  // no builder; the inputs still take JSON
    }
    words = texts.dataset;
    enhance(root);
    // Rows added by "Add a row" (catalog-editor.js) get their builders too.
    root.addEventListener("catalog-editor:row-added", function (event) { enhance(event.target); });
  });
})();
