/* The dashboard's trend chart (Chart.js, vendored). */
(function () {
  "use strict";
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("trend-data").textContent);
  var canvas = document.getElementById("trend");
  if (!canvas || !window.Chart) { return; }
  new window.Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        {type: "bar", label: script.getAttribute("data-received"), data: data.received, backgroundColor: "#0b4f9c"},
        {type: "bar", label: script.getAttribute("data-completed"), data: data.completed, backgroundColor: "#1c6b34"},
        {type: "line", label: script.getAttribute("data-ontime"), data: data.on_time, yAxisID: "rate", borderColor: "#a3111a"}
      ]
    },
    options: {responsive: true, maintainAspectRatio: false,
              scales: {y: {beginAtZero: true}, rate: {position: "right", min: 0, max: 100}}}
  });
})();
