/*
 * Draws the charts of party building (templates/party/statistics.html and review_detail.html)
 * with the vendored ECharts from the JSON written by json_script ("party-stats", "party-review").
 * The tables carry the same figures; the charts' box stays hidden without ECharts. Tooltips render
 * in the canvas (renderMode "richText"): HTML tooltips would need style="" attributes, which the
 * CSP forbids.
 */
(function () {
  "use strict";
  var container = document.querySelector("[data-party-charts]");
  var stats = document.getElementById("party-stats");
  var review = document.getElementById("party-review");
  if (!container || !window.echarts || (!stats && !review)) {
    return;
  }
  var data = JSON.parse((stats || review).textContent);
  var font = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
  var colors = ["#206bc4", "#2fb344", "#f59f00", "#d63939"];

  function grouped(categories, series) {
    return {
      textStyle: { fontFamily: font },
      color: colors,
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      aria: { enabled: true },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length > 5 ? 30 : 0 } },
      yAxis: { type: "value", min: 0 },
      series: series.map(function (s) {
        return { name: s[0], type: "bar", data: s[1], stack: s[2], label: { show: true, position: s[2] ? "inside" : "top" } };
      }),
    };
  }

  var builders = {
    compare: function () {
      var names = Object.keys(data.compare);
      return grouped(names, data.years.map(function (year, i) {
        return [year + "年", names.map(function (n) { return data.compare[n][i]; })];
      }));
    },
    categories: function () {
      return {
        textStyle: { fontFamily: font },
        color: colors,
        tooltip: { trigger: "item", renderMode: "richText", confine: true, formatter: "{b}：{c}项" },
        aria: { enabled: true },
        series: [{
          type: "pie",
          radius: ["40%", "68%"],
          data: data.categories.map(function (c, i) { return { name: c, value: data.categoryCounts[i] }; }),
          label: { formatter: "{b}\n{c}项" },
        }],
      };
    },
    units: function () { return grouped(data.units, [["发布", data.unitPublished], ["采用", data.unitAdopted]]); },
    channels: function () { return grouped(data.channels, [["发布", data.channelPublished], ["采用", data.channelAdopted]]); },
    averages: function () { return grouped(data.subjects, [["平均得分", data.averages]]); },
    ratings: function () {
      return grouped(data.subjects, Object.keys(data.ratings).map(function (label) {
        return [label, data.ratings[label], "ratings"];
      }));
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
