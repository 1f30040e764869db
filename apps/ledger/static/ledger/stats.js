/*
 * Draws the charts of the supervision statistics page (templates/ledger/statistics.html) with the
 * vendored ECharts, from the JSON the view writes with json_script ("ledger-stats"):
 *
 *   units, onTimeRate, open (not overdue), overdue, closed   per lead unit, same order as the table
 *   warnings: [{key, name, value, colour}]                   open items by warning colour
 *   months, closedPerMonth                                    items closed per month
 *
 * The charts' box stays hidden when ECharts is missing: the tables below carry the same figures.
 * Tooltips render inside the canvas (renderMode "richText"): ECharts' HTML tooltips use style=""
 * attributes, which the strict CSP blocks.
 */
(function () {
  "use strict";

  var source = document.getElementById("ledger-stats");
  var container = document.querySelector("[data-stats-charts]");
  if (!source || !container || !window.echarts) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var palette = { blue: "#206bc4", red: "#d63939", yellow: "#f59f00", green: "#2fb344", grey: "#adb5bd" };

  function base(extra) {
    var option = {
      textStyle: { fontFamily: font },
      tooltip: { renderMode: "richText", confine: true },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      aria: { enabled: true },
    };
    Object.keys(extra).forEach(function (key) {
      option[key] = extra[key];
    });
    return option;
  }

  function unitAxis() {
    return {
      type: "category",
      data: data.units,
      // Short names, slanted and cut to a width when many: committee names must not collide.
      axisLabel: {
        interval: 0,
        rotate: data.units.length > 4 ? 35 : 0,
        width: 84,
        overflow: "truncate",
        hideOverlap: true,
      },
    };
  }

  var builders = {
    "on-time": function () {
      return base({
        tooltip: { trigger: "axis", renderMode: "richText", confine: true, valueFormatter: rate },
        xAxis: unitAxis(),
        yAxis: { type: "value", name: "按期销号率（%）", nameTextStyle: { align: "left" }, min: 0, max: 100 },
        series: [
          {
            name: "按期销号率",
            type: "bar",
            data: data.onTimeRate,
            itemStyle: { color: palette.blue },
            label: { show: true, position: "top", formatter: function (p) { return rate(p.value); } },
          },
        ],
      });
    },
    progress: function () {
      function stacked(name, values, colour) {
        return { name: name, type: "bar", stack: "items", data: values, itemStyle: { color: colour } };
      }
      return base({
        tooltip: { trigger: "axis", renderMode: "richText", confine: true },
        legend: { top: 0 },
        xAxis: unitAxis(),
        yAxis: { type: "value", name: "事项数", nameTextStyle: { align: "left" }, minInterval: 1 },
        series: [
          stacked("办理中（未超期）", data.open, palette.blue),
          stacked("超期未办结", data.overdue, palette.red),
          stacked("已销号", data.closed, palette.green),
        ],
      });
    },
    warnings: function () {
      return base({
        tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: "{b}：{c}项（{d}%）" },
        legend: { bottom: 0 },
        series: [
          {
            name: "预警分布",
            type: "pie",
            radius: ["45%", "70%"],
            data: data.warnings.map(function (w) {
              return { name: w.name, value: w.value, itemStyle: { color: w.colour } };
            }),
            label: { formatter: "{b}\n{c}项" },
          },
        ],
      });
    },
    monthly: function () {
      return base({
        tooltip: { trigger: "axis", renderMode: "richText", confine: true },
        xAxis: { type: "category", data: data.months, boundaryGap: false, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", name: "销号事项数", nameTextStyle: { align: "left" }, minInterval: 1 },
        series: [
          {
            name: "销号事项数",
            type: "line",
            data: data.closedPerMonth,
            smooth: false,
            symbolSize: 6,
            itemStyle: { color: palette.green },
            areaStyle: { opacity: 0.15 },
          },
        ],
      });
    },
  };

  function rate(value) {
    return value === null || value === undefined || value === "-" ? "无已销号" : value + "%";
  }

  container.hidden = false;
  var charts = [];
  container.querySelectorAll("[data-chart]").forEach(function (box) {
    var build = builders[box.getAttribute("data-chart")];
    if (!build) {
      return;
    }
    // CSSOM, not a style="" attribute: allowed by the CSP.
    box.style.height = "20rem";
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(build());
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
