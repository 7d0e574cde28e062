// Draws every <canvas data-chart="…"> from the JSON in #chart-data (Chart.js, vendored), and lays
// the streak calendar out by weekday. Each chart keeps its <details> table as the text fallback.
(function () {
  "use strict";
  const MILE = 1609.344;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const imperial = () => document.body.dataset.units === "imperial"; // the viewer's unit system
  const distance = (m) => (m == null ? null : +(m / (imperial() ? MILE : 1000)).toFixed(2));
  const unit = () => (imperial() ? "mi" : "km");

  // "2026-11-19" → "Nov 19" on the axis; tooltips keep the full date.
  const shortDate = (iso) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return match ? `${MONTHS[+match[2] - 1]} ${+match[3]}` : iso;
  };
  const line = (color, extra) =>
    Object.assign({ type: "line", borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 0, tension: 0.3 }, extra);
  const bar = (color, extra) => Object.assign({ type: "bar", backgroundColor: color, borderRadius: 3, maxBarThickness: 36 }, extra);

  const builders = {
    daily_distance: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      dates: true,
      yTitle: unit(),
      datasets: [
        bar("#818cf8", { label: `Distance (${unit()})`, data: s.map((p) => distance(p.value)), order: 2 }),
        line("#312e81", { label: "7-day trend", data: s.map((p) => distance(p.trend)), order: 1 }),
      ],
    }),
    weekly_training_load: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      dates: true,
      datasets: [
        bar("#fbbf24", { label: "Load", data: s.map((p) => p.value), order: 2 }),
        line("#92400e", { label: "4-week trend", data: s.map((p) => p.trend), order: 1 }),
      ],
    }),
    resting_heart_rate: (s) => ({
      type: "line",
      labels: s.map((p) => p.date),
      dates: true,
      zero: false,
      yTitle: "bpm",
      datasets: [
        line("#f87171", { label: "Resting HR", data: s.map((p) => p.value), spanGaps: true, pointRadius: 2, tension: 0, borderWidth: 1.5 }),
        line("#7f1d1d", { label: "30-day trend", data: s.map((p) => p.trend), spanGaps: true }),
      ],
    }),
    fitness_load: (s) => ({
      type: "line",
      labels: s.map((p) => p.date),
      dates: true,
      zero: false,
      datasets: [
        line("#2563eb", { label: "CTL (fitness)", data: s.map((p) => p.ctl) }),
        line("#db2777", { label: "ATL (fatigue)", data: s.map((p) => p.atl) }),
        line("#16a34a", { label: "TSB (form)", data: s.map((p) => p.tsb) }),
      ],
    }),
    // The normal range is a band: its high edge fills down to the low edge (Chart.js filler, "-1").
    hrv: (s) => ({
      type: "line",
      labels: s.map((p) => p.date),
      dates: true,
      zero: false,
      yTitle: "ms",
      datasets: [
        line("#99f6e4", { label: "Normal range (low)", data: s.map((p) => p.baseline_low), borderWidth: 1, tension: 0, order: 3 }),
        line("#99f6e4", {
          label: "Normal range (high)",
          data: s.map((p) => p.baseline_high),
          borderWidth: 1,
          tension: 0,
          order: 3,
          fill: "-1",
          backgroundColor: "rgba(45, 212, 191, 0.18)",
        }),
        line("#0d9488", { label: "rMSSD", data: s.map((p) => p.value), spanGaps: true, pointRadius: 2, tension: 0, borderWidth: 1.5, order: 2 }),
        line("#134e4a", { label: "7-day mean", data: s.map((p) => p.rolling_7d), spanGaps: true, order: 1 }),
      ],
    }),
    group_comparison: (s) => ({
      type: "bar",
      labels: s.map((p) => p.name),
      yTitle: unit(),
      datasets: [bar("#818cf8", { label: `Distance (${unit()})`, data: s.map((p) => distance(p.total_distance)), maxBarThickness: 64 })],
    }),
    group_daily: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      dates: true,
      yTitle: unit(),
      datasets: [bar("#818cf8", { label: `Distance (${unit()})`, data: s.map((p) => distance(p.distance)) })],
    }),
  };

  function options(spec) {
    const x = { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 12 } };
    if (spec.dates) {
      x.ticks.callback = function (value) {
        return shortDate(this.getLabelForValue(value));
      };
    } else {
      x.ticks = { autoSkip: false, maxRotation: 50 }; // every group name, tilted when narrow
    }
    const y = { beginAtZero: spec.zero !== false, grid: { color: "#eef0f3" }, ticks: { maxTicksLimit: 6 } };
    if (spec.yTitle) y.title = { display: true, text: spec.yTitle, color: "#6b7280" };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { x, y },
      plugins: {
        legend: {
          position: "bottom",
          // Datasets in their own order (a trend line is drawn on top, yet listed after its bars).
          labels: { boxWidth: 12, boxHeight: 12, padding: 14, sort: (a, b) => a.datasetIndex - b.datasetIndex },
        },
      },
    };
  }

  function drawCharts() {
    const source = document.getElementById("chart-data");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#4b5563";
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const series = data[canvas.dataset.chart];
      const build = builders[canvas.dataset.chart];
      if (!series || !build || window.Chart.getChart(canvas)) return;
      const spec = build(series);
      new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: spec.datasets }, options: options(spec) });
    });
  }

  // The calendar flows down one column per week; its first day starts on its weekday's row.
  function layoutStreaks() {
    document.querySelectorAll(".heat[data-first-day]").forEach((heat) => {
      const first = heat.querySelector("span");
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(heat.dataset.firstDay);
      if (!first || !match) return;
      const weekday = (new Date(+match[1], +match[2] - 1, +match[3]).getDay() + 6) % 7; // Monday = 0
      first.style.gridRowStart = String(weekday + 1);
    });
  }

  // Charts on a panel that htmx is about to replace are released first.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!window.Chart || !event.detail.target) return;
    event.detail.target.querySelectorAll("canvas").forEach((canvas) => {
      const chart = window.Chart.getChart(canvas);
      if (chart) chart.destroy();
    });
  });
  document.addEventListener("DOMContentLoaded", () => {
    layoutStreaks();
    drawCharts();
  });
  document.addEventListener("htmx:afterSettle", drawCharts);
})();
