// The monthly report's charts (Chart.js, vendored); the numbers come from a json_script element.
(function () {
  const source = document.getElementById("report-chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997"];
  const codes = Object.keys(data.departments);
  const latest = codes.map((code) => {
    const series = data.departments[code];
    return series.length ? series[series.length - 1] : null;
  });
  new Chart(document.getElementById("chart-departments"), {
    type: "bar",
    data: { labels: codes.map((c) => data.labels[c] || c), datasets: [{ data: latest, backgroundColor: palette[0] }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } }, animation: false },
  });
  new Chart(document.getElementById("chart-trend"), {
    type: "line",
    data: {
      labels: data.months,
      datasets: codes.map((code, i) => ({ label: data.labels[code] || code, data: data.departments[code],
        borderColor: palette[i % palette.length], spanGaps: true })),
    },
    options: { scales: { y: { min: 0, max: 100 } }, animation: false },
  });
})();
