// Court figures: 结案率 and 一审服判息诉率 by division, this period against the same period last
// year, drawn from the JSON the page embeds (no inline script: CSP). Never by judge (no ranking).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("court-figures");
  var element = document.querySelector("[data-court-chart]");
  if (!source || !element || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element, null, { locale: "ZH", renderer: "svg" });
  function legendTop() { return element.clientWidth < 600 ? 108 : 72; }
  chart.setOption({
    title: { text: "各庭室结案率、一审服判息诉率（%）", left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis" },
    legend: { type: "plain", top: 36, left: "center", itemGap: 8, itemWidth: 16, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 8, top: legendTop(), bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
    yAxis: { type: "value", name: "%", min: 0, max: 100 },
    series: [
      { name: "本期结案率", type: "bar", data: data.closure_rate },
      { name: "去年同期结案率", type: "bar", data: data.closure_rate_previous },
      { name: "本期一审服判息诉率", type: "bar", data: data.acceptance_rate },
      { name: "去年同期一审服判息诉率", type: "bar", data: data.acceptance_rate_previous }
    ]
  });
  // Drill-down: a bar opens the division's cases behind it (never a judge's: no ranking).
  var listUrl = element.getAttribute("data-list-url");
  var seriesKeys = ["closure_rate", "closure_rate_previous", "acceptance_rate", "acceptance_rate_previous"];
  chart.on("click", function (params) {
    var links = data.links && data.links[seriesKeys[params.seriesIndex]];
    var query = links && links[params.dataIndex];
    if (listUrl && query) { window.location.href = listUrl + "?" + query; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
