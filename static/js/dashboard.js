/*
 * Draws the trends of the leaders' dashboard (templates/core/home.html) with the vendored ECharts,
 * from the JSON of json_script("dashboard-trends"): {trends: [{key, label, labels, values}]}.
 * Each chart's data table stays on the page; without ECharts the chart boxes stay hidden.
 * Tooltips render inside the canvas: ECharts' HTML tooltips use style="" attributes (CSP).
 */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-trends");
  if (!source || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var charts = [];
  data.trends.forEach(function (trend) {
    var box = document.querySelector('[data-trend="' + trend.key + '"]');
    if (!box) {
      return;
    }
    box.hidden = false;
    box.style.height = "16rem";
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption({
      textStyle: { fontFamily: font },
      aria: { enabled: true },
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      // Room below the slanted month labels, no legend to overlap them (the title names the series).
      grid: { left: 28, right: 16, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: trend.labels,
        boundaryGap: false,
        axisLabel: { rotate: 35, hideOverlap: true },
      },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          name: trend.label,
          type: "line",
          data: trend.values,
          symbolSize: 6,
          itemStyle: { color: "#206bc4" },
          areaStyle: { opacity: 0.12 },
        },
      ],
    });
    charts.push(chart);
  });
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    }, 150);
  });
})();
