// Draws each report chart from the JSON the page embeds with json_script; the data and labels
// come from the server (reports/charts.py), so this file knows nothing about any one report.
(function () {
  "use strict";

  const palette = ["#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#2e7d32", "#8d6e63", "#c62828", "#616161"];

  function formatter(money, locale) {
    const options = money ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : {};
    return new Intl.NumberFormat(locale, options);
  }

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.reportChart);
    if (!source || typeof Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const locale = document.documentElement.lang || undefined;
    const numbers = formatter(spec.money, locale);
    const rtl = document.documentElement.dir === "rtl";
    const valueScale = {
      beginAtZero: true,
      // Counts have no fractions; money keeps its cents.
      ticks: { precision: spec.money ? 2 : 0, callback: (value) => numbers.format(value) },
    };
    // The value axis starts at zero; in RTL pages the horizontal axis runs right to left and
    // the vertical one stands on the right, where the reader starts.
    const side = rtl ? "right" : "left";
    const scales = spec.horizontal
      ? { x: { ...valueScale, reverse: rtl }, y: { position: side } }
      : { y: { ...valueScale, position: side }, x: { reverse: rtl } };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, index) => ({
          ...dataset,
          backgroundColor: palette[index % palette.length],
        })),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        plugins: {
          legend: { display: spec.datasets.length > 1, rtl: rtl },
          tooltip: {
            rtl: rtl,
            callbacks: {
              label: (item) => `${item.dataset.label}: ${numbers.format(item.raw)}`,
            },
          },
        },
        scales: scales,
      },
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-report-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
