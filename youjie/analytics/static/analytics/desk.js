// Desk figures: bar charts drawn from the JSON the page embeds (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("desk-figures");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = data.charts[element.getAttribute("data-chart")];
    if (!spec) { return; }
    var chart = echarts.init(element, null, { locale: "ZH", renderer: "svg" });
    chart.setOption({
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, type: "scroll" },
      grid: { left: 48, right: 48, top: 40, bottom: 72, containLabel: true },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 4 ? 30 : 0 } },
      yAxis: [
        { type: "value", name: "件", minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100 }
      ],
      series: [
        { name: "本期受理", type: "bar", data: spec.received },
        { name: "去年同期受理", type: "bar", data: spec.received_previous },
        { name: "本期回音率", type: "line", yAxisIndex: 1, data: spec.response_rate, connectNulls: false },
        { name: "去年同期回音率", type: "line", yAxisIndex: 1, data: spec.response_rate_previous, lineStyle: { type: "dashed" } },
        { name: "本期办结率", type: "line", yAxisIndex: 1, data: spec.completion_rate },
        { name: "去年同期办结率", type: "line", yAxisIndex: 1, data: spec.completion_rate_previous, lineStyle: { type: "dashed" } }
      ]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
});
