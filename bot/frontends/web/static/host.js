// The host screen of a live game (a projector, 1920×1080): PIN and QR code, who joined, each
// question with its countdown and how many answered, then the distribution, the right answer
// with its source and the top 10. The host key comes in the link's #fragment (never sent to
// the server as part of a URL), is kept in this browser and taken out of the address bar.
"use strict";

(function () {
  const L = window.ipregLive;
  const $ = function (id) { return document.getElementById(id); };
  const SECTIONS = ["h-lobby", "h-question", "h-final"];
  const pin = (window.location.pathname.match(/(\d{6})\/?$/) || [])[1] || "";
  const STORE = "ipreg-live-host:" + pin;
  let key = "";
  let state = null;
  let busy = false;

  const fragment = new URLSearchParams(window.location.hash.slice(1));
  try {
    key = fragment.get("key") || window.localStorage.getItem(STORE) || "";
    if (fragment.get("key")) window.localStorage.setItem(STORE, key);
  } catch (err) {
    key = fragment.get("key") || "";
  }
  if (fragment.get("key") && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }

  function error(message) {
    $("h-error").hidden = !message;
    $("h-error").textContent = message || "";
  }

  function render(next) {
    state = next;
    $("bar-pin").textContent = next.pin;
    $("bar-players").textContent = String(next.players);
    controls(next);
    if (next.status === "lobby") return renderLobby(next);
    if (next.status === "finished") return renderFinal(next);
    renderQuestion(next);
  }

  function renderLobby(s) {
    L.show(SECTIONS, "h-lobby");
    $("h-pin").textContent = s.pin;
    $("h-url").textContent = s.join_url.replace(/^https?:\/\//, "");
    if (!$("h-qr").getAttribute("src")) $("h-qr").setAttribute("src", L.api("/" + s.pin + "/qr.svg"));
    $("h-count").textContent = String(s.players);
    const list = $("h-names");
    const names = s.names || [];
    const shown = names.slice(-120); // the newest; the count says how many in all
    list.textContent = "";
    shown.forEach(function (name) { list.appendChild(L.el("li", "", name)); });
    if (names.length > shown.length) list.appendChild(L.el("li", "lh-more", "等 " + names.length + " 人"));
  }

  function renderQuestion(s) {
    const q = s.question;
    const reveal = s.status === "reveal";
    L.show(SECTIONS, "h-question");
    $("h-question").classList.toggle("lh-revealed", reveal);
    $("h-progress").textContent = "第 " + q.number + " / " + q.total + " 题";
    $("h-answered").textContent = "已作答 " + (s.answered || 0) + " / " + s.players;
    $("h-qtext").textContent = q.text;
    const counts = reveal ? s.reveal.counts : null;
    const most = counts ? Math.max.apply(null, counts.concat([1])) : 1;
    const right = reveal ? s.reveal.correct_option_ids : [];
    const list = $("h-options");
    list.textContent = "";
    q.options.forEach(function (option, i) {
      const item = L.el("li", "lh-option lh-c" + (i % 4));
      if (reveal) item.classList.add(right.indexOf(option.id) >= 0 ? "lh-right" : "lh-dim");
      item.appendChild(L.el("span", "lh-letter", L.letters[i]));
      item.appendChild(L.el("span", "lh-otext", option.text));
      if (reveal) {
        const bar = L.el("span", "lh-dist");
        const fill = L.el("span", "lh-fill");
        fill.style.width = Math.round((100 * counts[i]) / most) + "%";
        bar.appendChild(fill);
        item.appendChild(bar);
        item.appendChild(L.el("span", "lh-num", counts[i] + " 人"));
      }
      list.appendChild(item);
    });
    $("h-reveal").hidden = !reveal;
    $("h-board").hidden = !reveal;
    if (reveal) {
      $("h-answer").textContent = L.letters[right[0]] + "．" + s.reveal.answer + "　（答对 " + s.reveal.right + " 人）";
      $("h-explain").textContent = s.reveal.explanation;
      $("h-source").textContent = s.reveal.source_line ? "来源：" + s.reveal.source_line : "";
      board($("h-top"), s.leaderboard || []);
    }
    tick();
  }

  function renderFinal(s) {
    L.show(SECTIONS, "h-final");
    board($("h-final-top"), s.leaderboard || []);
  }

  function board(list, rows) {
    list.textContent = "";
    rows.forEach(function (row) {
      const item = L.el("li", row.rank <= 3 ? "lh-medal lh-m" + row.rank : "");
      item.appendChild(L.el("span", "lh-trank", row.rank));
      item.appendChild(L.el("span", "lh-tname", row.name));
      item.appendChild(L.el("span", "lh-tscore", row.score));
      list.appendChild(item);
    });
    if (!rows.length) list.appendChild(L.el("li", "lh-more", "还没有人加入"));
  }

  function controls(s) {
    const open = s.status === "question";
    $("c-start").hidden = s.status !== "lobby";
    $("c-pause").hidden = !open || s.paused;
    $("c-resume").hidden = !open || !s.paused;
    $("c-next").hidden = !(open || s.status === "reveal");
    $("c-next").textContent = open ? "揭晓答案" : s.question && s.question.number === s.total ? "查看最终排名" : "下一题";
    $("c-end").hidden = s.status === "finished";
  }

  let confirmEnd = 0;
  async function act(action) {
    if (busy || !state) return;
    if (action === "end" && Date.now() - confirmEnd > 4000) {
      confirmEnd = Date.now();
      $("c-end").textContent = "再点一次确认结束";
      setTimeout(function () { $("c-end").textContent = "结束竞赛"; }, 4000);
      return;
    }
    busy = true;
    try {
      // The version makes a retried click harmless: the server does nothing if the game moved on.
      render(await L.call("/" + pin + "/" + action, { method: "POST", headers: { "X-Host-Key": key }, body: { version: state.version } }));
      error("");
    } catch (err) {
      error(err.message);
    } finally {
      busy = false;
    }
  }

  function tick() {
    if (!state || !state.question || state.status !== "question") { $("h-timer").textContent = ""; return; }
    const left = L.secondsLeft(state.question);
    $("h-timer").textContent = state.paused ? "暂停 " + left : String(left);
    $("h-timer").classList.toggle("lh-hurry", left <= 5 && !state.paused);
  }
  setInterval(tick, 250);

  ["start", "pause", "resume", "next", "end"].forEach(function (action) {
    $("c-" + action).addEventListener("click", function () { act(action); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "ArrowRight") {
      event.preventDefault();
      if (state && state.status === "lobby") act("start"); else act("next");
    }
  });

  if (!pin || !key) {
    error("主持人链接不完整：请使用创建竞赛时给出的完整链接（含 #key=…）。");
    return;
  }
  L.follow("/" + pin + "/events", { "X-Host-Key": key }, "/" + pin + "/host", {
    onState: render,
    onAuthFail: function (status) { error(status === 404 ? "没有这场竞赛。" : "主持人密钥不正确。"); },
    onConnection: function (ok) { $("h-conn").hidden = ok; },
  });
})();
