// Live quiz: what the player page and the host screen share (window.ipregLive), then the
// player page itself (a phone in the hall). No build step, no library; text goes into the
// page with textContent only, never as markup.
"use strict";

(function () {
  const meta = document.querySelector('meta[name="ipreg-root"]');
  const ROOT = meta ? meta.getAttribute("content") || "" : "";
  const ERRORS = {
    network: "网络连接失败，请检查网络后重试。",
  };

  function api(path) { return ROOT + "api/live" + path; }

  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // One JSON call; rejects with {status, code, message} (status 0: the network).
  async function call(path, options) {
    options = options || {};
    const init = { method: options.method || "GET", headers: options.headers || {}, cache: "no-store" };
    if (options.body !== undefined) {
      init.headers = Object.assign({ "Content-Type": "application/json" }, init.headers);
      init.body = JSON.stringify(options.body);
    }
    let response;
    try {
      response = await fetch(api(path), init);
    } catch (err) {
      throw { status: 0, code: "network", message: ERRORS.network };
    }
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!response.ok) {
      throw {
        status: response.status,
        code: data && data.error || "http_" + response.status,
        message: data && data.message || ERRORS.network,
        retryAfter: Number(response.headers.get("Retry-After") || 0),
      };
    }
    return data;
  }

  // The server's clock minus ours, so countdowns agree with the deadline the server keeps.
  let offset = 0;
  function noteServerTime(iso) {
    const t = Date.parse(iso);
    if (!isNaN(t)) offset = t - Date.now();
  }
  function serverNow() { return Date.now() + offset; }

  // Server-sent events read with fetch (so the secret travels in a header, never in a URL),
  // reconnecting at once; while nothing arrives (a buffering proxy, the network gone) the
  // state is polled every two seconds instead. onState gets every state; onAuthFail a 401,
  // 403 or 404; onConnection(true/false) tells whether the game is reachable.
  function follow(path, headers, statePath, handlers) {
    let stopped = false;
    let controller = null;
    let lastAlive = 0;
    let online = true;
    function alive(yes) {
      if (yes) lastAlive = Date.now();
      if (yes !== online) { online = yes; if (handlers.onConnection) handlers.onConnection(yes); }
    }
    function deliver(text) {
      let state;
      try { state = JSON.parse(text); } catch (err) { return; }
      if (state.server_time) noteServerTime(state.server_time);
      handlers.onState(state);
    }
    async function stream() {
      let failures = 0;
      while (!stopped) {
        controller = new AbortController();
        try {
          const response = await fetch(api(path), { headers: headers, signal: controller.signal, cache: "no-store" });
          if ([401, 403, 404].indexOf(response.status) >= 0) { stopped = true; handlers.onAuthFail(response.status); return; }
          if (!response.ok || !response.body) throw new Error("stream " + response.status);
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            alive(true);
            failures = 0;
            buffer += decoder.decode(chunk.value, { stream: true });
            let cut;
            while ((cut = buffer.indexOf("\n\n")) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              const data = block.split("\n").filter(function (l) { return l.indexOf("data:") === 0; })
                .map(function (l) { return l.slice(5).trim(); }).join("\n");
              if (data) deliver(data);
            }
          }
        } catch (err) {
          failures += 1;
        }
        if (!stopped) await sleep(failures ? Math.min(1000 * failures, 5000) : 50);
      }
    }
    async function poll() {
      while (!stopped) {
        await sleep(2000);
        if (stopped || Date.now() - lastAlive < 12000) continue;
        try {
          deliver(JSON.stringify(await call(statePath, { headers: headers })));
          alive(true);
          lastAlive = Date.now() - 10000; // keep polling until the stream speaks again
        } catch (err) {
          if ([401, 403, 404].indexOf(err.status) >= 0) { stopped = true; handlers.onAuthFail(err.status); return; }
          alive(false);
        }
      }
    }
    function reconnect() { if (controller) controller.abort(); }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") reconnect(); // a phone woke up: fresh state now
    });
    window.addEventListener("online", reconnect);
    lastAlive = Date.now();
    stream();
    poll();
    return { stop: function () { stopped = true; reconnect(); }, reconnect: reconnect };
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function show(ids, visible) {
    ids.forEach(function (id) { document.getElementById(id).hidden = id !== visible; });
  }

  function secondsLeft(question) {
    if (!question) return 0;
    if (question.deadline === null) return Math.ceil((question.left_ms || 0) / 1000);
    return Math.max(0, Math.ceil((Date.parse(question.deadline) - serverNow()) / 1000));
  }

  const LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H"];
  window.ipregLive = {
    api: api, call: call, follow: follow, el: el, show: show, sleep: sleep,
    serverNow: serverNow, secondsLeft: secondsLeft, letters: LETTERS,
  };
})();

// -- the player page ------------------------------------------------------------------------------
(function () {
  if (document.body.dataset.page !== "player") return;
  const L = window.ipregLive;
  const $ = function (id) { return document.getElementById(id); };
  const SECTIONS = ["join", "lobby", "question", "reveal", "final"];
  const LAST = "ipreg-live-last";
  let pin = "";
  let me = null; // {token, name, player_id, answers: {number: [option ids]}}
  let state = null;
  let follower = null;
  let sending = null; // the answer being sent (retried until the server says yes or no)

  function load(p) {
    try { return JSON.parse(window.localStorage.getItem("ipreg-live:" + p) || "null"); } catch (err) { return null; }
  }
  function save() {
    try {
      window.localStorage.setItem("ipreg-live:" + pin, JSON.stringify(me));
      window.localStorage.setItem(LAST, pin);
    } catch (err) { /* private mode: this visit still works */ }
  }
  function newToken() {
    const bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function auth() { return { Authorization: "Bearer " + me.token }; }

  function showJoin(message) {
    if (follower) { follower.stop(); follower = null; }
    $("me").hidden = true;
    L.show(SECTIONS, "join");
    $("pin").value = pin || "";
    $("join-error").textContent = message || "";
    (pin ? $("name") : $("pin")).focus();
  }

  async function join(event) {
    event.preventDefault();
    const wanted = $("pin").value.replace(/\D/g, "");
    const name = $("name").value.trim();
    if (wanted.length !== 6) { $("join-error").textContent = "请输入大屏幕上的 6 位 PIN。"; return; }
    if (!name) { $("join-error").textContent = "请填写昵称。"; return; }
    pin = wanted;
    // The token is made and kept before asking, so a retried join is the same player.
    me = load(pin) || { token: newToken(), name: name, player_id: null, answers: {} };
    save();
    $("join-button").disabled = true;
    $("join-error").textContent = "";
    for (let attempt = 0; ; attempt++) {
      try {
        const joined = await L.call("/" + pin + "/players", { method: "POST", body: { name: name, token: me.token } });
        me.name = joined.name;
        me.player_id = joined.player_id;
        save();
        break;
      } catch (err) {
        if (err.status === 0 && attempt < 5) { await L.sleep(1000 * (attempt + 1)); continue; }
        $("join-button").disabled = false;
        $("join-error").textContent = err.message;
        if (err.status === 404) { try { window.localStorage.removeItem("ipreg-live:" + pin); } catch (e) { /* */ } }
        return;
      }
    }
    $("join-button").disabled = false;
    start();
  }

  function start() {
    $("me").hidden = false;
    $("me-name").textContent = me.name;
    if (window.history.replaceState) window.history.replaceState(null, "", "?pin=" + pin);
    follower = L.follow("/" + pin + "/events", auth(), "/" + pin + "/state", {
      onState: render,
      onAuthFail: function () { me = null; try { window.localStorage.removeItem("ipreg-live:" + pin); } catch (e) { /* */ } showJoin("这场竞赛找不到你的记录了，请重新加入。"); },
      onConnection: function (ok) { $("offline").hidden = ok; },
    });
  }

  function render(next) {
    state = next;
    $("me-score").textContent = "　" + next.score + " 分" + (next.rank ? "　第 " + next.rank + " 名" : "");
    if (next.status === "lobby") { L.show(SECTIONS, "lobby"); return; }
    if (next.status === "question") { renderQuestion(next); return; }
    if (next.status === "reveal") { renderReveal(next); return; }
    renderFinal(next);
  }

  function mine(number) {
    return me.answers[number] || (state && state.answer && state.question && state.question.id === number ? state.answer.option_ids : null);
  }

  function renderQuestion(s) {
    const q = s.question;
    L.show(SECTIONS, "question");
    $("q-progress").textContent = "第 " + q.number + " / " + q.total + " 题";
    if ($("q-text").dataset.id !== String(q.id)) {
      $("q-text").dataset.id = String(q.id);
      $("q-text").textContent = q.text;
      const box = $("q-options");
      box.textContent = "";
      q.options.forEach(function (option, i) {
        const button = L.el("button", "lp-option lp-c" + (i % 4));
        button.type = "button";
        button.dataset.option = String(option.id);
        button.appendChild(L.el("span", "lp-letter", L.letters[i]));
        button.appendChild(L.el("span", "lp-otext", option.text));
        button.addEventListener("click", function () { choose(q.id, option.id); });
        box.appendChild(button);
      });
    }
    paintChoice(q.id, s.paused);
    tick();
  }

  function paintChoice(number, paused) {
    const chosen = mine(number);
    Array.prototype.forEach.call($("q-options").children, function (button) {
      const picked = chosen && chosen.indexOf(Number(button.dataset.option)) >= 0;
      button.disabled = Boolean(chosen) || paused;
      button.classList.toggle("lp-picked", Boolean(picked));
      button.classList.toggle("lp-dim", Boolean(chosen) && !picked);
    });
    let status = "";
    if (paused) status = "主持人已暂停";
    else if (sending && sending.number === number) status = sending.retrying ? "网络不稳定，正在重新提交…" : "正在提交…";
    else if (chosen) status = "已提交，等待揭晓";
    $("q-status").textContent = status;
  }

  async function choose(number, option) {
    if (mine(number) || sending) return; // a second tap counts once (and the server agrees)
    sending = { number: number, options: [option], retrying: false };
    paintChoice(number, false);
    for (let attempt = 0; sending; attempt++) {
      try {
        const result = await L.call("/" + pin + "/answers", { method: "POST", headers: auth(), body: { question_id: number, option_ids: [option] } });
        if (result.accepted) { me.answers[number] = [option]; save(); }
        sending = null;
        if (!result.accepted) $("q-status").textContent = reasonText(result.reason);
        else paintChoice(number, false);
        return;
      } catch (err) {
        if (err.status !== 0 && err.status !== 429 && err.status < 500) { sending = null; $("q-status").textContent = err.message; return; }
        sending.retrying = true;
        paintChoice(number, false);
        await L.sleep(Math.max(err.retryAfter * 1000 || 0, Math.min(500 * (attempt + 1), 3000)));
        if (!state || !state.question || state.question.id !== number || state.status !== "question") {
          // The question closed while we retried: the server judges by when it arrived.
          if (attempt > 20) { sending = null; return; }
        }
      }
    }
  }

  function reasonText(reason) {
    return {
      late: "时间到了，这次没有计分。",
      paused: "主持人暂停了，请稍后再答。",
      already_answered: "这道题你已经答过了。",
      not_open: "这道题已经结束了。",
    }[reason] || "未能提交。";
  }

  function renderReveal(s) {
    L.show(SECTIONS, "reveal");
    const r = s.result;
    const card = $("reveal");
    card.classList.toggle("lp-right", r.correct);
    card.classList.toggle("lp-wrong", r.answered && !r.correct);
    $("r-verdict").textContent = !r.answered ? "未作答" : r.correct ? "回答正确！" : "回答错误";
    $("r-points").textContent = r.correct ? "+" + r.points + " 分" : "+0 分";
    $("r-answer").textContent = L.letters[r.correct_option_ids[0]] + "．" + r.answer;
    $("r-source").textContent = r.source_line ? "来源：" + r.source_line : "";
    $("r-rank").textContent = "总分 " + s.score + "　第 " + s.rank + " 名";
  }

  function renderFinal(s) {
    L.show(SECTIONS, "final");
    $("f-rank").textContent = s.rank ? "你的总分 " + s.score + "，第 " + s.rank + " 名" : "你的总分 " + s.score;
    const list = $("f-top");
    list.textContent = "";
    (s.top || []).forEach(function (row) {
      const item = L.el("li", row.name === me.name ? "lp-self" : "");
      item.appendChild(L.el("span", "lp-trank", row.rank));
      item.appendChild(L.el("span", "lp-tname", row.name));
      item.appendChild(L.el("span", "lp-tscore", row.score + " 分"));
      list.appendChild(item);
    });
  }

  function tick() {
    if (state && state.status === "question") {
      const left = L.secondsLeft(state.question);
      $("q-timer").textContent = left + "″";
      $("q-timer").classList.toggle("lp-hurry", left <= 5);
    }
  }
  setInterval(tick, 250);

  $("join-form").addEventListener("submit", join);
  $("leave").addEventListener("click", function () {
    try { window.localStorage.removeItem(LAST); } catch (err) { /* */ }
    pin = ""; me = null; showJoin("");
  });
  $("pin").addEventListener("input", function () { this.value = this.value.replace(/\D/g, "").slice(0, 6); });

  const params = new URLSearchParams(window.location.search);
  pin = (params.get("pin") || "").replace(/\D/g, "").slice(0, 6);
  if (!pin) { try { pin = window.localStorage.getItem(LAST) || ""; } catch (err) { pin = ""; } }
  me = pin ? load(pin) : null;
  if (me && me.player_id) start(); else showJoin("");
})();
