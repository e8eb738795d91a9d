// Desk figures: bar charts drawn from the JSON the page embeds (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("desk-figures");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  // Room above the plot for the wrapped legend: two lines on a phone, one on a wide screen.
  function legendTop(element) { return element.clientWidth < 600 ? 108 : 72; }
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = data.charts[element.getAttribute("data-chart")];
    if (!spec) { return; }
    var chart = echarts.init(element, null, { locale: "ZH", renderer: "svg" });
    chart.setOption({
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      // A plain legend wraps onto more lines on a narrow screen; a "scroll" legend paged it (1/3).
      legend: { type: "plain", top: 36, left: "center", itemGap: 8, itemWidth: 16, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 8, top: legendTop(element), bottom: 8, containLabel: true },
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
