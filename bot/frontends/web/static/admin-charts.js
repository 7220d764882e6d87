// Hand-drawn SVG charts for the admin dashboard: stacked bars per day, horizontal bars and a
// share bar. No library and no CDN; every label is set with textContent, and every figure a
// chart shows is also in the chart's <title> tooltips and the page's figure cards.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const key of Object.keys(attrs || {})) node.setAttribute(key, String(attrs[key]));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function tip(node, text) {
    node.appendChild(svg("title", null, text));
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function empty(container, text) {
    clear(container);
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = text || "暂无数据。";
    container.appendChild(p);
  }

  // A round step for the value axis (1, 2, 5 × 10^n) giving about four lines.
  function step(max) {
    const rough = Math.max(1, max) / 4;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
    return 10 * power;
  }

  function legend(list, series) {
    if (!list) return;
    clear(list);
    for (const s of series) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = s.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s.label));
      list.appendChild(item);
    }
  }

  // days: [{day, total, kinds: {kind: n}}]; series: [{key, label, color}].
  function dayBars(container, days, series, legendList) {
    legend(legendList, series);
    if (!days.length) return empty(container);
    clear(container);
    const left = 44, bottom = 26, top = 10, height = 220;
    const barWidth = Math.max(4, Math.min(28, Math.floor(900 / days.length) - 2));
    const width = left + days.length * (barWidth + 2) + 10;
    const max = Math.max(1, ...days.map(function (d) { return d.total; }));
    const unit = step(max);
    const ceiling = Math.ceil(max / unit) * unit;
    const scale = (height - top - bottom) / ceiling;
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    chart.appendChild(svg("title", null, "每日提问数，按回答情况分色"));
    for (let v = 0; v <= ceiling; v += unit) {
      const y = height - bottom - v * scale;
      chart.appendChild(svg("line", { x1: left - 4, x2: width - 6, y1: y, y2: y, class: "axis" }));
      chart.appendChild(svg("text", { x: left - 8, y: y + 4, "text-anchor": "end" }, v));
    }
    const every = Math.ceil(days.length / Math.floor((width - left) / 48));
    days.forEach(function (d, i) {
      const x = left + i * (barWidth + 2);
      let y = height - bottom;
      for (const s of series) {
        const n = d.kinds[s.key] || 0;
        if (!n) continue;
        const h = n * scale;
        y -= h;
        chart.appendChild(tip(
          svg("rect", { x: x, y: y, width: barWidth, height: h, fill: s.color }),
          d.day + " " + s.label + "：" + n
        ));
      }
      chart.appendChild(tip(
        svg("rect", { x: x, y: top, width: barWidth, height: height - bottom - top, fill: "transparent" }),
        d.day + " 共 " + d.total + " 个问题"
      ));
      if (i % every === 0) {
        chart.appendChild(svg("text", { x: x + barWidth / 2, y: height - 8, "text-anchor": "middle" }, d.day.slice(5)));
      }
    });
    container.appendChild(chart);
  }

  // rows: [{label, value, title?}] drawn as horizontal bars, largest first as given.
  function hbars(container, rows, color) {
    if (!rows.length) return empty(container);
    clear(container);
    // As wide as the box it is drawn in, so its text stays at reading size.
    const width = Math.max(320, Math.min(1100, (container.clientWidth || 760) - 4));
    const labelWidth = Math.round(Math.min(260, width * 0.36)), row = 26, valueWidth = 50;
    const height = rows.length * row + 8;
    const max = Math.max(1, ...rows.map(function (r) { return r.value; }));
    const scale = (width - labelWidth - valueWidth - 10) / max;
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    rows.forEach(function (r, i) {
      const y = 4 + i * row;
      const fits = Math.max(4, Math.floor((labelWidth - 10) / 13));
      const label = r.label.length > fits ? r.label.slice(0, fits - 1) + "…" : r.label;
      chart.appendChild(tip(svg("text", { x: labelWidth - 8, y: y + 16, "text-anchor": "end" }, label), r.title || r.label));
      chart.appendChild(tip(
        svg("rect", { x: labelWidth, y: y + 3, width: Math.max(1, r.value * scale), height: row - 8, rx: 3, fill: color }),
        (r.title || r.label) + "：" + r.value
      ));
      chart.appendChild(svg("text", { x: labelWidth + r.value * scale + 6, y: y + 16 }, r.value));
    });
    container.appendChild(chart);
  }

  // parts: [{label, value, color}] as one 100% bar with the shares written under it.
  function share(container, parts, legendList) {
    const total = parts.reduce(function (a, p) { return a + p.value; }, 0);
    legend(legendList, parts.map(function (p) {
      const pct = total ? (Math.round((1000 * p.value) / total) / 10).toFixed(1) + "%" : "—";
      return { label: p.label + " " + p.value + "（" + pct + "）", color: p.color };
    }));
    if (!total) return empty(container);
    clear(container);
    const width = Math.max(240, (container.clientWidth || 600) - 4), height = 34;
    const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img" });
    let x = 0;
    for (const p of parts) {
      if (!p.value) continue;
      const w = (p.value / total) * width;
      chart.appendChild(tip(svg("rect", { x: x, y: 0, width: w, height: height, fill: p.color }), p.label + "：" + p.value));
      x += w;
    }
    container.appendChild(chart);
  }

  window.ipregCharts = { dayBars: dayBars, hbars: hbars, share: share };
})();
