// The dashboard: the figures of `python -m bot stats --json` as cards and charts.
"use strict";

(function () {
  const A = window.ipregAdmin;
  const C = window.ipregCharts;
  const el = A.el;
  const COLORS = { answer: "#1a7f37", clarify: "#d4a017", smalltalk: "#8c96a3", fallback: "#b7252d" };
  const ORDER = ["answer", "clarify", "fallback", "smalltalk"];

  function card(value, label, title) {
    return el("div", { className: "figure", title: title || null }, [
      el("span", { className: "value" }, value),
      el("span", { className: "label" }, label),
    ]);
  }

  function fill(id, cards) {
    A.append(A.clear(document.getElementById(id)), cards);
  }

  function render(data) {
    const s = data.stats;
    const kinds = data.names.kinds;
    const channels = data.names.channels;
    const total = s.questions;
    fill("figures", [
      card(total, "提问总数"),
      card(s.today, "今天（UTC）"),
      card(s.last_7_days, "最近 7 天"),
      card(s.askers, "提问人数"),
      card(A.percent(s.by_kind.answer, total), "已回答"),
      card(A.percent(s.by_kind.clarify, total), "需澄清"),
      card(A.percent(s.by_kind.fallback, total), "未能回答"),
      card(s.undelivered, "未送达", "Telegram 拒收、未送达的回复"),
    ]);
    const series = ORDER.map(function (k) { return { key: k, label: kinds[k] || k, color: COLORS[k] }; });
    C.dayBars(document.getElementById("chart-days"), data.per_day, series, document.getElementById("legend-days"));
    C.share(
      document.getElementById("chart-kinds"),
      ORDER.map(function (k) { return { label: kinds[k] || k, value: s.by_kind[k] || 0, color: COLORS[k] }; }),
      document.getElementById("legend-kinds")
    );
    const byChannel = Object.keys(s.by_channel)
      .map(function (c) { return { label: channels[c] || c, value: s.by_channel[c] }; })
      .sort(function (a, b) { return b.value - a.value; });
    C.hbars(document.getElementById("chart-channels"), byChannel, "#3b6ea8");
    C.hbars(
      document.getElementById("chart-entries"),
      s.top_entries.map(function (e) { return { label: e.title, value: e.count, title: e.title + "（" + e.entry + "）" }; }),
      "#b7252d"
    );
    const q = s.quiz;
    fill("quiz-figures", [
      card(q.rounds, "群聊竞赛轮次"),
      card(q.groups, "参与的群"),
      card(q.participants, "参与人数"),
      card(q.answers, "群聊作答"),
      card(q.practice.answers, "练习作答"),
      card(A.percent(q.practice.correct, q.practice.answers), "练习正确率"),
    ]);
    const live = s.live;
    fill("live-figures", [
      card(live.games, "现场竞赛场次"),
      card(live.finished, "已结束"),
      card(live.players, "玩家"),
      card(live.answers, "作答"),
      card(A.percent(live.correct, live.answers), "正确率"),
    ]);
    fill("learned-figures", [
      card(data.learned.active || 0, "已生效的问法"),
      card(data.learned.pending || 0, "待应用"),
      card(data.learned.retiring || 0, "待移除"),
    ]);
  }

  async function load() {
    const since = document.getElementById("since").value;
    const until = document.getElementById("until").value;
    const params = new URLSearchParams();
    if (since) params.set("since", since);
    if (until) params.set("until", until);
    A.notify("");
    render(await A.call("dashboard" + (params.toString() ? "?" + params : "")));
  }

  A.onReady(async function () {
    document.getElementById("period").addEventListener("submit", function (event) {
      event.preventDefault();
      load().catch(function (err) { A.notify(err.message, "error"); });
    });
    document.getElementById("all-time").addEventListener("click", function () {
      document.getElementById("since").value = "";
      document.getElementById("until").value = "";
      load().catch(function (err) { A.notify(err.message, "error"); });
    });
    await load();
  });
})();
