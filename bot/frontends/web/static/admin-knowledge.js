// The knowledge browser: every entry and article with its citation, the ways it is asked
// (YAML and learned), how often it was the answer; `check` problems; reload; the report.
"use strict";

(function () {
  const A = window.ipregAdmin;
  const el = A.el;
  const KIND_NAMES = {
    faq: "问答", fact: "事实", duty: "职责", section: "章节列表", structure: "结构",
    chapter: "章", article: "条文", contact: "联系人",
  };
  const LEARNED_NAMES = { pending: "待应用", active: "已生效", retiring: "待移除" };
  let entries = [];
  let selected = null;

  function list(title, items, className) {
    return [
      el("h4", null, title + "（" + items.length + "）"),
      items.length
        ? el("ul", { className: className || "detail-list" }, items.map(function (x) { return el("li", null, x); }))
        : el("p", { className: "muted small" }, "无"),
    ];
  }

  async function showDetail(id) {
    selected = id;
    for (const row of document.querySelectorAll("#entries tbody tr")) {
      row.classList.toggle("selected", row.dataset.id === id);
    }
    const box = A.clear(document.getElementById("detail"));
    const d = await A.call("knowledge/" + encodeURIComponent(id));
    const learned = d.learned.map(function (w) {
      return el("li", null, [w.wording, " ", el("span", { className: "tag " + w.status }, LEARNED_NAMES[w.status] || w.status),
        el("span", { className: "muted small" }, " " + w.created_by + "，" + A.when(w.created_at))]);
    });
    A.append(box, [
      el("h3", null, d.title),
      el("p", { className: "muted small" }, [el("code", null, d.id), " · ", KIND_NAMES[d.kind] || d.kind,
        d.file ? " · " + d.file : "", " · 用作回答 " + d.answered + " 次"]),
      el("p", null, ["出处：", d.citation]),
      el("div", { className: "detail" }, d.text),
      list("知识库中的问法", d.questions),
      el("h4", null, "学到的问法（" + learned.length + "）"),
      learned.length ? el("ul", { className: "detail-list" }, learned) : el("p", { className: "muted small" }, "无"),
      d.aliases.length ? list("别称", d.aliases) : null,
      d.keywords.length ? list("关键词", d.keywords) : null,
    ]);
  }

  function render() {
    const query = document.getElementById("q").value.trim().toLowerCase();
    const kind = document.getElementById("kind-filter").value;
    const body = A.clear(document.querySelector("#entries tbody"));
    let shown = 0;
    for (const e of entries) {
      if (kind && e.kind !== kind) continue;
      if (query && (e.id + " " + e.title + " " + e.citation).toLowerCase().indexOf(query) < 0) continue;
      shown += 1;
      if (shown > 400) continue;
      body.appendChild(el("tr", {
        dataset: { id: e.id },
        className: e.id === selected ? "selected" : "",
        tabIndex: 0,
        onclick: function () { showDetail(e.id).catch(function (err) { A.notify(err.message, "error"); }); },
        onkeydown: function (event) { if (event.key === "Enter") showDetail(e.id); },
      }, [
        el("td", { className: "wrap" }, [el("strong", null, e.title), el("br"), el("code", { className: "small muted" }, e.id)]),
        el("td", { className: "small wrap" }, e.citation),
        el("td", { className: "num" }, e.asked),
        el("td", { className: "num" }, e.learned),
        el("td", { className: "num" }, e.answered),
      ]));
    }
    document.getElementById("entry-count").textContent = "共 " + shown + " 条" + (shown > 400 ? "（显示前 400 条，请缩小范围）" : "");
  }

  async function load() {
    const data = await A.call("knowledge");
    entries = data.entries;
    const select = document.getElementById("kind-filter");
    const kinds = Array.from(new Set(entries.map(function (e) { return e.kind; })));
    while (select.options.length > 1) select.remove(1);
    for (const k of kinds) select.appendChild(el("option", { value: k }, KIND_NAMES[k] || k));
    render();
  }

  async function check() {
    const box = A.clear(document.getElementById("check-result"));
    box.appendChild(el("p", { className: "muted" }, "正在检查……"));
    const r = await A.call("check");
    A.clear(box);
    box.appendChild(el("p", { className: "notice " + (r.ok ? "" : "error") }, r.ok ? "没有问题：" + r.summary : r.problems.length + " 个问题："));
    if (r.problems.length) box.appendChild(el("ul", { className: "problems" }, r.problems.map(function (p) { return el("li", null, p); })));
  }

  async function reload() {
    const box = A.clear(document.getElementById("check-result"));
    box.appendChild(el("p", { className: "muted" }, "正在重新加载……"));
    let r;
    try {
      r = await A.call("reload", {});
    } catch (err) {
      if (err.status !== 422 || !err.data) throw err;
      r = err.data; // refused: the old version keeps serving, the problems say why
    }
    A.clear(box);
    if (r.ok) {
      const s = r.summary;
      box.appendChild(el("p", { className: "notice" }, "已重新加载：" + s.entries + " 个条目，" + s.sources + " 个来源，" + s.contacts + " 个联系人，" + s.quiz + " 道题。"));
      await load();
    } else {
      box.appendChild(el("p", { className: "notice error" }, "未重新加载，原版本继续服务。请先修正下面的 " + r.problems.length + " 个问题："));
      box.appendChild(el("ul", { className: "problems" }, r.problems.map(function (p) { return el("li", null, p); })));
    }
  }

  A.onReady(async function () {
    document.getElementById("search").addEventListener("submit", function (e) { e.preventDefault(); render(); });
    document.getElementById("q").addEventListener("input", render);
    document.getElementById("kind-filter").addEventListener("change", render);
    document.getElementById("check").addEventListener("click", function () { check().catch(function (err) { A.notify(err.message, "error"); }); });
    document.getElementById("reload").addEventListener("click", function () { reload().catch(function (err) { A.notify(err.message, "error"); }); });
    await load();
    const wanted = new URLSearchParams(window.location.search).get("entry");
    if (wanted) await showDetail(wanted);
  });
})();
