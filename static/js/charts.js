// Draws every <canvas data-chart="…"> from the JSON in #chart-data (Chart.js, vendored).
(function () {
  "use strict";
  const MILE = 1609.344;
  const imperial = () => window.ASTRAL_UNITS === "imperial";
  const distance = (m) => (m == null ? null : +(m / (imperial() ? MILE : 1000)).toFixed(2));
  const unit = () => (imperial() ? "mi" : "km");

  const builders = {
    daily_distance: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      datasets: [
        { type: "bar", label: `Distance (${unit()})`, data: s.map((p) => distance(p.value)), backgroundColor: "#818cf8" },
        { type: "line", label: "7-day trend", data: s.map((p) => distance(p.trend)), borderColor: "#312e81", pointRadius: 0 },
      ],
    }),
    weekly_training_load: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      datasets: [
        { type: "bar", label: "Load", data: s.map((p) => p.value), backgroundColor: "#fbbf24" },
        { type: "line", label: "4-week trend", data: s.map((p) => p.trend), borderColor: "#92400e", pointRadius: 0 },
      ],
    }),
    resting_heart_rate: (s) => ({
      type: "line",
      labels: s.map((p) => p.date),
      datasets: [
        { label: "Resting HR", data: s.map((p) => p.value), borderColor: "#ef4444", spanGaps: true, pointRadius: 1 },
        { label: "30-day trend", data: s.map((p) => p.trend), borderColor: "#7f1d1d", pointRadius: 0, spanGaps: true },
      ],
    }),
    fitness_load: (s) => ({
      type: "line",
      labels: s.map((p) => p.date),
      datasets: [
        { label: "CTL (fitness)", data: s.map((p) => p.ctl), borderColor: "#2563eb", pointRadius: 0 },
        { label: "ATL (fatigue)", data: s.map((p) => p.atl), borderColor: "#db2777", pointRadius: 0 },
        { label: "TSB (form)", data: s.map((p) => p.tsb), borderColor: "#16a34a", pointRadius: 0 },
      ],
    }),
    group_comparison: (s) => ({
      type: "bar",
      labels: s.map((p) => p.name),
      datasets: [{ label: `Distance (${unit()})`, data: s.map((p) => distance(p.total_distance)), backgroundColor: "#818cf8" }],
    }),
    group_daily: (s) => ({
      type: "bar",
      labels: s.map((p) => p.date),
      datasets: [{ label: `Distance (${unit()})`, data: s.map((p) => distance(p.distance)), backgroundColor: "#818cf8" }],
    }),
  };

  function draw() {
    const source = document.getElementById("chart-data");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const series = data[canvas.dataset.chart];
      const build = builders[canvas.dataset.chart];
      if (!series || !build) return;
      const spec = build(series);
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } },
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
