// The quiz: every question of the bank and those generated from the knowledge base, with
// the right option and the citation; and a live hall game started from here.
"use strict";

(function () {
  const A = window.ipregAdmin;
  const el = A.el;
  const ORIGINS = { bank: "题库", generated: "自动生成" };
  let items = [];

  function render() {
    const query = document.getElementById("q").value.trim().toLowerCase();
    const origin = document.getElementById("origin").value;
    const body = A.clear(document.querySelector("#items tbody"));
    let shown = 0;
    for (const item of items) {
      if (origin && item.origin !== origin) continue;
      const haystack = (item.question + " " + item.options.join(" ") + " " + item.citation).toLowerCase();
      if (query && haystack.indexOf(query) < 0) continue;
      shown += 1;
      if (shown > 300) continue;
      body.appendChild(el("tr", null, [
        el("td", { className: "wrap" }, [el("strong", null, item.question), el("br"), el("span", { className: "small muted" }, item.explanation)]),
        el("td", null, el("ol", { className: "detail-list" }, item.options.map(function (o) {
          return el("li", null, o === item.answer ? [o, " ✓"] : o);
        }))),
        el("td", { className: "small wrap" }, item.citation),
        el("td", null, el("span", { className: "tag" }, ORIGINS[item.origin] || item.origin)),
      ]));
    }
    document.getElementById("quiz-count").textContent = "共 " + shown + " 题" + (shown > 300 ? "（显示前 300 题）" : "");
  }

  async function createGame(event) {
    event.preventDefault();
    const box = A.clear(document.getElementById("live-result"));
    try {
      const game = await A.call("live", {
        questions: Number(document.getElementById("live-questions").value),
        seconds: Number(document.getElementById("live-seconds").value),
      });
      A.append(box, [
        el("p", { className: "notice" }, ["已创建，PIN：", el("strong", { id: "live-pin" }, game.pin)]),
        el("p", null, ["主持人大屏（请勿外传）：", el("a", { href: game.host_url, target: "_blank", rel: "noopener" }, game.host_url)]),
        el("p", null, ["玩家加入：", el("a", { href: game.join_url, target: "_blank", rel: "noopener" }, game.join_url)]),
      ]);
    } catch (err) {
      box.appendChild(el("p", { className: "notice error" }, err.message));
    }
  }

  A.onReady(async function () {
    document.getElementById("live").addEventListener("submit", createGame);
    document.getElementById("search").addEventListener("submit", function (e) { e.preventDefault(); render(); });
    document.getElementById("q").addEventListener("input", render);
    document.getElementById("origin").addEventListener("change", render);
    const data = await A.call("quiz");
    items = data.items;
    A.notify("题库 " + data.bank + " 题，自动生成 " + data.generated + " 题。");
    render();
  });
})();
