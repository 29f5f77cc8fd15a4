// The SLA breach report's two charts, drawn from the data the page embeds with json_script.
(function () {
  "use strict";
  function draw() {
    const source = document.getElementById("sla-chart-data");
    if (!source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const rtl = document.documentElement.dir === "rtl";
    const style = getComputedStyle(document.documentElement);
    const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    const met = colour("--accord-on-time", "#2e7d32");
    const breached = colour("--accord-breached", "#c62828");
    const palette = ["#1565c0", "#6a1b9a", "#00838f"];

    new Chart(document.getElementById("sla-distribution"), {
      type: "bar",
      data: {
        labels: data.buckets,
        datasets: data.distribution.map((row, index) => ({
          label: row.label,
          data: row.counts,
          backgroundColor: palette[index % palette.length],
        })),
      },
      options: {
        locale: document.documentElement.lang,
        plugins: { legend: { rtl: rtl } },
        scales: { x: { reverse: rtl }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });

    new Chart(document.getElementById("sla-weekly"), {
      type: "bar",
      data: {
        labels: data.weeks,
        datasets: [
          { label: data.labels.met, data: data.met, backgroundColor: met },
          { label: data.labels.breached, data: data.breached, backgroundColor: breached },
        ],
      },
      options: {
        locale: document.documentElement.lang,
        plugins: { legend: { rtl: rtl } },
        scales: {
          x: { stacked: true, reverse: rtl },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
