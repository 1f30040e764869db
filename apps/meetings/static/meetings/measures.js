/*
 * Draws the charts of the sessions' measures page (templates/meetings/measures.html) with the
 * vendored ECharts, from the JSON written with json_script ("meetings-measures"):
 *   sessions, planned, actual      minutes per session (items with actual times only)
 *   types, type_average            average minutes per item, by item type
 * The tables below carry the same figures; the charts stay hidden without ECharts. Tooltips
 * render in the canvas ("richText"): HTML tooltips use style attributes, which the CSP blocks.
 */
(function () {
  "use strict";
  var source = document.getElementById("meetings-measures");
  var box = document.querySelector("[data-meetings-charts]");
  if (!source || !box || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  box.hidden = false;
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  function draw(name, option) {
    var node = box.querySelector('[data-chart="' + name + '"]');
    var chart = window.echarts.init(node);
    option.textStyle = { fontFamily: font };
    option.tooltip = { renderMode: "richText", confine: true, trigger: "axis" };
    option.grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    option.aria = { enabled: true };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("sessions", {
    title: { text: "各次会议审议时长（分钟）", textStyle: { fontSize: 14 } },
    legend: { top: 0, right: 0 },
    xAxis: { type: "category", data: data.sessions },
    yAxis: { type: "value" },
    series: [
      { name: "计划", type: "bar", data: data.planned, itemStyle: { color: "#adb5bd" } },
      { name: "实际", type: "bar", data: data.actual, itemStyle: { color: "#206bc4" } }
    ]
  });
  draw("types", {
    title: { text: "各类议题平均审议时长（分钟）", textStyle: { fontSize: 14 } },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.types },
    series: [{ name: "平均", type: "bar", data: data.type_average, itemStyle: { color: "#2fb344" } }]
  });
})();
