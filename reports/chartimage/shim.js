// A Canvas 2D context that records every call, so Go can replay it with a raster library.
// ECharts (zrender's canvas painter) draws on it exactly as on a browser's canvas.
var __ops = [];
var setTimeout = function () { return 0; };
var clearTimeout = function () {};
var setInterval = function () { return 0; };
var clearInterval = function () {};
function __gradient(kind, args) {
  var g = { kind: kind, args: args, stops: [] };
  g.addColorStop = function (offset, color) { g.stops.push([offset, String(color)]); };
  return g;
}
function __context(canvas) {
  var ctx = { canvas: canvas, dpr: 1 };
  var state = { font: "12px sans-serif" };
  ["fillStyle", "strokeStyle", "lineWidth", "globalAlpha", "font", "textAlign", "textBaseline",
   "lineCap", "lineJoin", "miterLimit", "lineDashOffset", "shadowBlur", "shadowColor",
   "shadowOffsetX", "shadowOffsetY", "globalCompositeOperation", "imageSmoothingEnabled", "direction"].forEach(function (p) {
    Object.defineProperty(ctx, p, {
      get: function () { return state[p]; },
      set: function (v) {
        state[p] = v;
        if (v && typeof v === "object") { __ops.push(["set", p, v.kind, v.args, v.stops]); } else { __ops.push(["set", p, v]); }
      }
    });
  });
  ["save", "restore", "beginPath", "closePath", "moveTo", "lineTo", "bezierCurveTo", "quadraticCurveTo",
   "arc", "arcTo", "ellipse", "rect", "fill", "stroke", "clip", "fillRect", "strokeRect", "clearRect",
   "fillText", "strokeText", "setTransform", "transform", "translate", "scale", "rotate", "resetTransform"].forEach(function (m) {
    ctx[m] = function () { var op = [m]; for (var i = 0; i < arguments.length; i++) { op.push(arguments[i]); } __ops.push(op); };
  });
  ctx.setLineDash = function (d) { __ops.push(["setLineDash", (d || []).slice()]); };
  ctx.getLineDash = function () { return []; };
  ctx.measureText = function (text) { return { width: __measure(state.font, String(text)) }; };
  ctx.createLinearGradient = function (x0, y0, x1, y1) { return __gradient("linear", [x0, y0, x1, y1]); };
  ctx.createRadialGradient = function (x0, y0, r0, x1, y1, r1) { return __gradient("radial", [x0, y0, r0, x1, y1, r1]); };
  ctx.createPattern = function () { return null; };
  ctx.drawImage = function () {};
  ctx.getImageData = function () { return { data: [] }; };
  ctx.isPointInPath = function () { return false; };
  return ctx;
}
function __canvas(w, h) {
  var c = { nodeName: "CANVAS", width: w, height: h, style: {} };
  var ctx = __context(c);
  c.getContext = function () { return ctx; };
  c.setAttribute = function () {};
  c.getAttribute = function () { return null; };
  c.addEventListener = function () {};
  c.removeEventListener = function () {};
  return c;
}
