// Draws the notice's charts from the json_script data (no inline script: strict CSP).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("attendance-chart-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var units = document.querySelector('[data-chart="units"]');
    if (units) {
      window.echarts.init(units).setOption({
        tooltip: { trigger: "axis" },
        // The legend above, the grid below it with room for the slanted unit names (issue 10).
        legend: { top: 0, data: ["迟到", "早退", "缺卡", "旷工(天)"] },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.units, axisLabel: { rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: "迟到", type: "bar", stack: "x", data: data.late },
          { name: "早退", type: "bar", stack: "x", data: data.early },
          { name: "缺卡", type: "bar", stack: "x", data: data.missing },
          { name: "旷工(天)", type: "bar", stack: "x", data: data.absence }
        ]
      });
    }
    var daily = document.querySelector('[data-chart="daily"]');
    if (daily) {
      window.echarts.init(daily).setOption({
        tooltip: { trigger: "axis" },
        // The legend under the axis, never over it (issue 10: it overlapped the axis).
        legend: { bottom: 0, data: ["迟到", "缺卡", "旷工"] },
        grid: { left: 8, right: 16, top: 16, bottom: 32, containLabel: true },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: "迟到", type: "line", data: data.daily_late },
          { name: "缺卡", type: "line", data: data.daily_missing },
          { name: "旷工", type: "line", data: data.daily_absent }
        ]
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
