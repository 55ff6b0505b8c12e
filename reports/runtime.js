(function () {
  "use strict";
  var FONT = '"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif';
  var ENT = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  // esc makes any value safe to put into the tooltip's HTML.
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) { return ENT[c]; }); }
  function num(v) {
    if (v == null || v === "-" || (typeof v === "number" && !isFinite(v))) { return "–"; }
    if (typeof v !== "number") { return esc(v); }
    var a = Math.abs(v);
    if (a !== 0 && (a < 0.001 || a >= 1e6)) { return v.toExponential(2); }
    return String(Math.round(v * 1000) / 1000);
  }
  function cat(axis, i) {
    var a = axis && (Array.isArray(axis) ? axis[0] : axis);
    return a && a.data && typeof i === "number" ? a.data[i] : i;
  }
  function marker(p) { return typeof p.color === "string" && /^#[0-9a-fA-F]{3,8}$/.test(p.color) ? '<span style="display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px;background:' + p.color + '"></span>' : ""; }
  var tips = {
    axis: function (opt) {
      return function (ps) {
        ps = Array.isArray(ps) ? ps : [ps];
        var out = [esc(ps.length ? ps[0].axisValueLabel || ps[0].name : "")];
        ps.forEach(function (p) {
          var v = Array.isArray(p.value) ? p.value[1] : p.value;
          out.push(marker(p) + esc(p.seriesName) + ": " + num(v));
        });
        return out.join("<br/>");
      };
    },
    item: function (opt) {
      return function (p) {
        var v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
        return marker(p) + esc(p.seriesName) + "<br/>" + esc(p.name) + ": " + num(v);
      };
    },
    heatmap: function (opt) {
      return function (p) {
        var v = p.value || [];
        return esc(cat(opt.yAxis, v[1])) + " × " + esc(cat(opt.xAxis, v[0])) + ": " + num(v[2]);
      };
    },
    scatter: function (opt) {
      var xn = (opt.xAxis && opt.xAxis[0] && opt.xAxis[0].name) || "x";
      var yn = (opt.yAxis && opt.yAxis[0] && opt.yAxis[0].name) || "y";
      return function (p) {
        var v = p.value || [];
        if (!Array.isArray(v)) { return esc(p.seriesName) + ": " + num(v); }
        var head = v.length > 2 ? esc(v[2]) : esc(p.seriesName);
        return head + "<br/>" + esc(xn) + ": " + num(v[0]) + "<br/>" + esc(yn) + ": " + num(v[1]);
      };
    },
    forest: function (opt) {
      return function (p) {
        var v = p.value || [];
        return esc(cat(opt.yAxis, v[1])) + "<br/>" + num(v[0]) + " [" + num(v[2]) + ", " + num(v[3]) + "]" + (v.length > 4 ? "<br/>p = " + num(v[4]) : "");
      };
    },
    radar: function (opt) {
      var ind = (opt.radar && opt.radar.indicator) || [];
      return function (p) {
        var v = p.value || [];
        var out = [marker(p) + esc(p.name)];
        ind.forEach(function (d, i) { out.push(esc(d.name) + ": " + num(v[i])); });
        return out.join("<br/>");
      };
    }
  };
  var charts = [];
  function fail(el, err) {
    el.setAttribute("data-md-state", "error");
    var m = document.createElement("p");
    m.className = "md-error";
    m.textContent = (document.documentElement.lang === "en" ? "This chart could not be drawn: " : "图表未能显示：") + (err && err.message ? err.message : String(err));
    el.appendChild(m);
  }
  function render(el) {
    var src = document.getElementById("md-opt-" + el.id);
    try {
      if (typeof echarts === "undefined") { throw new Error("ECharts is missing"); }
      var opt = JSON.parse(src.textContent);
      opt.textStyle = { fontFamily: FONT };
      opt.tooltip = opt.tooltip || {};
      var kind = el.getAttribute("data-md-tooltip") || "item";
      opt.tooltip.formatter = (tips[kind] || tips.item)(opt);
      opt.tooltip.renderMode = "html";
      opt.tooltip.className = "md-tip";
      var inst = echarts.init(el, null, { renderer: "svg" });
      inst.setOption(opt);
      var got = echarts.getInstanceByDom(el).getOption();
      var points = 0;
      (got.series || []).forEach(function (s) { points += (s.data || []).length; });
      el.setAttribute("data-md-points", String(points));
      el.setAttribute("data-md-state", points > 0 ? "ok" : "empty");
      charts.push(inst);
    } catch (err) {
      fail(el, err);
      if (window.console) { console.error("mingdeng chart " + el.id + ": " + (err && err.message ? err.message : err)); }
    }
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-chart"), render);
    document.documentElement.setAttribute("data-md-charts", String(charts.length));
  }
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 100);
  });
  // Print at the page's width, then go back.
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize({ width: 680 }); }); });
  window.addEventListener("afterprint", function () { charts.forEach(function (c) { c.resize(); }); });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
