// 化解攻坚统计: the campaign's burn-down and its progress by region, drawn from the JSON the page
// embeds (#campaign-chart; no inline script: CSP). A region's bar opens its matters.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("campaign-chart");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function draw(element, option) {
    var chart = echarts.init(element, null, { locale: "ZH", renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
    return chart;
  }
  document.querySelectorAll("[data-campaign-chart]").forEach(function (element) {
    var kind = element.getAttribute("data-campaign-chart");
    if (kind === "burndown" && data.burndown) {
      draw(element, {
        title: { text: "燃尽图（未化解事项）", left: "center", top: 4, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        legend: { top: 34, data: ["未化解", "计划"] },
        grid: { left: 8, right: 16, top: 76, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.burndown.days, boundaryGap: false },
        yAxis: { type: "value", name: "件", minInterval: 1, min: 0 },
        series: [
          { name: "未化解", type: "line", data: data.burndown.remaining, connectNulls: false, areaStyle: { opacity: 0.15 } },
          { name: "计划", type: "line", data: data.burndown.ideal, symbol: "none", lineStyle: { type: "dashed" } }
        ]
      });
    } else if (kind === "regions" && data.regions && data.regions.labels.length) {
      var chart = draw(element, {
        title: { text: "按属地化解进度", left: "center", top: 4, textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        legend: { top: 34, data: ["已化解", "未化解", "超期"] },
        grid: { left: 8, right: 16, top: 76, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.regions.labels, axisLabel: { interval: 0, rotate: data.regions.labels.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", name: "件", minInterval: 1 },
        series: [
          { name: "已化解", type: "bar", stack: "total", data: data.regions.resolved },
          { name: "未化解", type: "bar", stack: "total", data: data.regions.in_progress },
          { name: "超期", type: "bar", data: data.regions.overdue }
        ]
      });
      chart.on("click", function (params) {
        var url = data.regions.links[params.dataIndex];
        if (url) { window.location.href = url; }
      });
    }
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
});
