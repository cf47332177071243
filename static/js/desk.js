// The desk form: show only the part for the kind of applicant chosen (the server reads only
// that part too, egov/backoffice/views.desk). Without script every part stays visible.
(function () {
  var form = document.querySelector("form:has(input[name=applicant_type])");
  if (!form) return;
  function show() {
    var chosen = form.querySelector("input[name=applicant_type]:checked");
    var kind = chosen ? chosen.value : "individual";
    form.querySelectorAll("[data-applicant]").forEach(function (part) {
      part.hidden = part.getAttribute("data-applicant").split(" ").indexOf(kind) < 0;
    });
  }
  form.addEventListener("change", show);
  show();
})();
