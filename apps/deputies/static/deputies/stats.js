/*
 * Draws the suggestion statistics charts (templates/deputies/statistics.html) with the vendored
 * ECharts from the JSON in #deputies-stats: classes [{name, value}], bodies/bodyCounts. The tables
 * carry the same figures when ECharts is missing.
 */
(function () {
  "use strict";
  var source = document.getElementById("deputies-stats");
  var container = document.querySelector("[data-stats-charts]");
  if (!source || !container || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  container.hidden = false;
  var options = {
    classes: {
      title: { text: "首次答复分类", textStyle: { fontSize: 14 } },
      tooltip: { renderMode: "richText", confine: true },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.classes }],
    },
    bodies: {
      title: { text: "承办件数（前15个单位）", textStyle: { fontSize: 14 } },
      tooltip: { renderMode: "richText", confine: true, trigger: "axis" },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.bodies, inverse: true },
      series: [{ type: "bar", data: data.bodyCounts, itemStyle: { color: "#206bc4" } }],
    },
  };
  container.querySelectorAll("[data-chart]").forEach(function (box) {
    var option = options[box.getAttribute("data-chart")];
    if (!option) {
      return;
    }
    option.textStyle = { fontFamily: font };
    option.aria = { enabled: true };
    window.echarts.init(box, null, { renderer: "svg" }).setOption(option);
  });
})();
