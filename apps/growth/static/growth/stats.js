/*
 * Draws the charts of the team-building statistics (templates/growth/statistics.html) with the
 * vendored ECharts from the JSON written by json_script ("growth-stats"). The tables carry the
 * same figures; the charts' box stays hidden without ECharts. Tooltips render in the canvas
 * (renderMode "richText"): HTML tooltips would need style="" attributes, which the CSP forbids.
 */
(function () {
  "use strict";
  var source = document.getElementById("growth-stats");
  var container = document.querySelector("[data-growth-charts]");
  if (!source || !container || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

  function bars(categories, values, name, max) {
    return {
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      aria: { enabled: true },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", name: name, min: 0, max: max },
      series: [{ name: name, type: "bar", data: values, itemStyle: { color: "#206bc4" }, label: { show: true, position: "top" } }],
    };
  }

  var builders = {
    kinds: function () { return bars(data.kinds, data.kindRates, "出席率（%）", 100); },
    units: function () { return bars(data.units, data.unitRates, "出席率（%）", 100); },
    coverage: function () { return bars(data.leaders, data.coverage, "覆盖率（%）", 100); },
    training: function () { return bars(data.trainingUnits, data.trainingAverage, "人均学时"); },
    mentoring: function () {
      return {
        textStyle: { fontFamily: font },
        tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: "{b}：{c}对" },
        aria: { enabled: true },
        series: [{ type: "pie", radius: ["40%", "68%"], data: data.mentoring, label: { formatter: "{b}\n{c}对" } }],
      };
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
