/*
 * Draws the charts of the documents statistics page (documents/statistics.html) with the vendored
 * ECharts, from the JSON in #documents-stats: steps and hours (mean hours spent at each step),
 * types, typeMean and typeMedian (working days from 拟稿 to 印发 per document type).
 * The charts' box stays hidden without ECharts: the tables carry the same figures. Tooltips render
 * inside the canvas: ECharts' HTML tooltips use style="" attributes, which the CSP blocks.
 */
(function () {
  "use strict";

  var source = document.getElementById("documents-stats");
  var container = document.querySelector("[data-stats-charts]");
  if (!source || !container || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function base(extra) {
    var option = {
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      aria: { enabled: true },
    };
    Object.keys(extra).forEach(function (key) {
      option[key] = extra[key];
    });
    return option;
  }

  var builders = {
    steps: function () {
      return base({
        xAxis: { type: "category", data: data.steps },
        yAxis: { type: "value", name: "小时" },
        series: [{ name: "平均用时", type: "bar", data: data.hours, itemStyle: { color: "#f59f00" } }],
      });
    },
    types: function () {
      return base({
        legend: { top: 0 },
        xAxis: { type: "category", data: data.types, axisLabel: { interval: 0 } },
        yAxis: { type: "value", name: "工作日" },
        series: [
          { name: "平均", type: "bar", data: data.typeMean, itemStyle: { color: "#206bc4" } },
          { name: "中位数", type: "bar", data: data.typeMedian, itemStyle: { color: "#2fb344" } },
        ],
      });
    },
  };

  container.hidden = false;
  var charts = [];
  container.querySelectorAll("[data-chart]").forEach(function (box) {
    var build = builders[box.getAttribute("data-chart")];
    if (!build) {
      return;
    }
    box.style.height = "18rem"; // CSSOM, not a style="" attribute: allowed by the CSP
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(build());
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
