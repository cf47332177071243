/* Check a chosen file's type and size before it is sent (the server checks the content again). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form.upload"), function (form) {
    var input = form.querySelector("input[type=file]");
    var message = form.querySelector(".field-error");
    var types = form.getAttribute("data-types").split(/,\s*/);
    function problem() {
      var file = input.files && input.files[0];
      if (!file) { return ""; }
      var ext = (file.name.split(".").pop() || "").toLowerCase();
      if (types.indexOf(ext) < 0) { return form.getAttribute("data-msg-type") || ("Accepted: " + types.join(", ")); }
      if (file.size > Number(form.getAttribute("data-max-bytes"))) { return form.getAttribute("data-msg-size") || "The file is too large."; }
      return "";
    }
    function show() {
      var text = problem();
      message.textContent = text;
      message.hidden = !text;
      input.setAttribute("aria-invalid", text ? "true" : "false");
      return !text;
    }
    input.addEventListener("change", show);
    form.addEventListener("submit", function (event) { if (!show()) { event.preventDefault(); input.focus(); } });
  });
})();
