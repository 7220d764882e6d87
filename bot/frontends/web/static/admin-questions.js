// Unanswered and unsure questions: groups with the engine's suggestions; attach a group to
// an entry (a suggestion, or one found with the search box), mark it out of scope, dismiss
// it; then evaluate and apply the pending attachments. Every question shown was typed by
// the public: it only ever goes into textContent.
"use strict";

(function () {
  const A = window.ipregAdmin;
  const el = A.el;
  const KIND_NAMES = { answer: "已回答", clarify: "需澄清", fallback: "未能回答", smalltalk: "寒暄" };
  const STATUS_NAMES = {
    open: "未处理",
    pending: "已关联（待应用）",
    attached: "已关联（已生效）",
    out_of_scope: "超出范围",
    dismissed: "已忽略",
  };
  const LEARNED_NAMES = { pending: "待应用", active: "已生效", retiring: "待移除" };
  const CHANNEL_NAMES = {
    telegram: "Telegram", web: "网页", console: "控制台", wechat: "微信", wecom: "企业微信", live: "现场活动",
  };
  let learnedByKey = {};
  // Pending wordings the last refused apply pointed at (their entry now wins a question that
  // was right before); kept until the next apply.
  let suspects = new Set();

  function tag(kind, text) {
    return el("span", { className: "tag " + kind }, text);
  }

  async function act(path, payload, done) {
    try {
      await A.call(path, payload);
      A.notify(done);
      await refresh();
    } catch (err) {
      A.notify(err.message, "error");
    }
  }

  function attachButton(group, entry, label) {
    return el("button", {
      type: "button",
      className: "secondary",
      onclick: function () {
        act("questions/attach", { question: group.question, entry: entry }, "已关联，待应用后生效。");
      },
    }, label);
  }

  function picker(group, box) {
    const input = el("input", { type: "search", placeholder: "输入关键词、条目编号或条文号", ariaLabel: "查找条目" });
    const list = el("ul");
    let timer = null;
    async function search() {
      const data = await A.call("search?q=" + encodeURIComponent(input.value));
      A.clear(list);
      if (!data.hits.length) list.appendChild(el("li", { className: "muted" }, "没有找到。"));
      for (const hit of data.hits) {
        list.appendChild(el("li", { dataset: { entry: hit.entry } }, [
          el("span", { className: "title" }, [el("strong", null, hit.title), " ", el("span", { className: "muted small" }, hit.citation)]),
          attachButton(group, hit.entry, "关联"),
        ]));
      }
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search().catch(function (err) { A.notify(err.message, "error"); }); }, 250);
    });
    A.clear(box).append(el("div", { className: "picker" }, [input, list]));
    box.hidden = false;
    input.value = group.question;
    input.focus();
    search().catch(function (err) { A.notify(err.message, "error"); });
  }

  function groupCard(group) {
    const kinds = Object.keys(group.kinds).map(function (k) {
      return tag(k, (KIND_NAMES[k] || k) + " " + group.kinds[k]);
    });
    const channels = Object.keys(group.channels).map(function (c) {
      return (CHANNEL_NAMES[c] || c) + " " + group.channels[c];
    }).join("，");
    const card = el("article", { className: "group", dataset: { key: group.key } }, [
      el("div", { className: "group-head" }, [
        el("p", { className: "group-question" }, group.question),
        tag(group.status === "open" ? "" : group.status, STATUS_NAMES[group.status] || group.status),
      ]),
      el("p", { className: "group-meta" }, [
        "共 " + group.count + " 次，" + group.users + " 人；", kinds, " 渠道：" + channels,
        "；最近：" + A.when(group.last_asked) + "；现在的回复：", tag(group.now, KIND_NAMES[group.now] || group.now),
      ]),
    ]);
    if (group.wordings.length) {
      card.appendChild(el("ul", { className: "group-wordings", ariaLabel: "其他问法" },
        group.wordings.map(function (w) { return el("li", null, w); })));
    }
    if (group.status !== "open") {
      const actions = el("div", { className: "actions" });
      const learned = learnedByKey[group.key];
      if (group.entry) {
        const title = learned && learned.entry === group.entry ? learned.title : group.entry;
        actions.appendChild(el("span", { className: "muted small" }, "关联到“" + title + "”"));
      }
      if (learned && learned.status !== "retiring") {
        actions.appendChild(el("button", {
          type: "button", className: "quiet",
          onclick: function () { act("learned/remove", { id: learned.id }, "已移除关联。"); },
        }, "移除关联"));
      } else if (!group.entry) {
        actions.appendChild(el("button", {
          type: "button", className: "quiet",
          onclick: function () { act("questions/reopen", { question: group.question }, "已恢复为未处理。"); },
        }, "恢复为未处理"));
      }
      card.appendChild(actions);
      return card;
    }
    const suggested = el("ol", { className: "suggestions", ariaLabel: "引擎的候选条目" });
    for (const s of group.suggestions) {
      suggested.appendChild(el("li", { dataset: { entry: s.entry } }, [
        el("span", { className: "score", title: "引擎得分" }, s.score.toFixed(2)),
        el("span", { className: "title" }, [el("strong", null, s.title), " ", el("span", { className: "muted small" }, s.citation)]),
        attachButton(group, s.entry, "关联到此条"),
      ]));
    }
    if (!group.suggestions.length) suggested.appendChild(el("li", { className: "muted" }, "引擎没有候选条目。"));
    const pickerBox = el("div", { hidden: true });
    card.appendChild(suggested);
    card.appendChild(el("div", { className: "actions" }, [
      el("button", { type: "button", className: "secondary", onclick: function () { picker(group, pickerBox); } }, "查找其他条目…"),
      el("button", {
        type: "button", className: "quiet",
        onclick: function () { act("questions/out-of-scope", { question: group.question }, "已标为超出范围。"); },
      }, "超出范围"),
      el("button", {
        type: "button", className: "quiet",
        onclick: function () { act("questions/dismiss", { question: group.question }, "已忽略。"); },
      }, "忽略"),
    ]));
    card.appendChild(pickerBox);
    return card;
  }

  function renderLearned(data) {
    learnedByKey = {};
    const waiting = data.wordings.filter(function (w) { return w.status !== "active"; });
    for (const w of data.wordings) learnedByKey[w.key] = w;
    document.getElementById("pending-count").textContent = String(waiting.length);
    const box = A.clear(document.getElementById("pending-list"));
    if (!waiting.length) {
      box.appendChild(el("p", { className: "muted" }, "没有待应用的关联。已生效 " + (data.counts.active || 0) + " 个问法。"));
    } else {
      box.appendChild(el("div", { className: "table-box" }, el("table", null, [
        el("thead", null, el("tr", null, [el("th", null, "问法"), el("th", null, "条目"), el("th", null, "状态"), el("th", null, "")])),
        el("tbody", null, waiting.map(function (w) {
          const status = [tag(w.status, LEARNED_NAMES[w.status] || w.status)];
          if (suspects.has(w.id)) status.push(" ", tag("fallback", "可能导致下降"));
          return el("tr", { className: suspects.has(w.id) ? "suspect" : "" }, [
            el("td", { className: "wrap" }, w.wording),
            el("td", { className: "wrap" }, w.title),
            el("td", null, status),
            el("td", null, w.status === "pending" ? el("button", {
              type: "button", className: "quiet",
              onclick: function () { act("learned/remove", { id: w.id }, "已移除。"); },
            }, "移除") : ""),
          ]);
        })),
      ])));
    }
    document.getElementById("apply").disabled = !waiting.length;
    document.getElementById("dry-run").disabled = !waiting.length;
  }

  function pct(x) {
    return (Math.round(x * 1000) / 10).toFixed(1) + "%";
  }

  function worseList(result) {
    const rows = [];
    for (const s of result.sets) {
      for (const w of s.worse || []) {
        rows.push(el("li", null, [
          el("span", { className: "wrap" }, w.question), " ",
          el("span", { className: "muted small" }, "（" + (s.label || s.set) + "）应为“" + w.expected_title + "”，应用后" +
            (w.now ? "排第一的是“" + w.now_title + "”" : "未能回答")),
        ]));
      }
    }
    if (!rows.length) return null;
    return el("div", { className: "worse-list" }, [
      el("p", { className: "small" }, "应用后变差的评估题（标为“可能导致下降”的关联可先移除，再重新验证）："),
      el("ul", null, rows),
    ]);
  }

  function renderApply(result) {
    suspects = new Set(result.reason === "dropped" ? result.suspects || [] : []);
    const box = A.clear(document.getElementById("apply-result"));
    box.appendChild(el("p", { className: "notice " + (result.applied || result.reason === "dry_run" ? "" : "warn"), role: "status" }, result.message));
    if (result.sets.length) {
      box.appendChild(el("div", { className: "table-box" }, el("table", { className: "figures" }, [
        el("thead", null, el("tr", null, [
          el("th", null, "评估题集（保留测试部分）"), el("th", { className: "num" }, "题数"),
          el("th", { className: "num", title: "排第一的条目正确的比例" }, "首位命中·应用前"),
          el("th", { className: "num" }, "首位命中·应用后"),
          el("th", { className: "num", title: "正确条目在前三名之内的比例" }, "前三命中·应用前"),
          el("th", { className: "num" }, "前三命中·应用后"),
        ])),
        el("tbody", null, result.sets.map(function (s) {
          const change = s.hits_after > s.hits_before ? "better" : s.hits_after < s.hits_before ? "worse" : "";
          return el("tr", null, [
            el("td", null, s.label || s.set), el("td", { className: "num" }, s.questions),
            el("td", { className: "num" }, pct(s.hit1_before) + "（" + s.hits_before + "）"),
            el("td", { className: "num " + change }, pct(s.hit1_after) + "（" + s.hits_after + "）"),
            el("td", { className: "num" }, pct(s.hit3_before)), el("td", { className: "num" }, pct(s.hit3_after)),
          ]);
        })),
      ])));
      box.appendChild(el("p", { className: "small muted" },
        "关联的 " + result.attached + " 个问法中，应用前答对 " + result.attached_right_before + " 个，应用后答对 " + result.attached_right_after + " 个。"));
      const worse = worseList(result);
      if (worse) box.appendChild(worse);
    }
    for (const p of result.problems || []) box.appendChild(el("p", { className: "error small" }, p));
  }

  async function apply(dryRun) {
    A.notify("");
    const buttons = [document.getElementById("apply"), document.getElementById("dry-run")];
    buttons.forEach(function (b) { b.disabled = true; });
    A.clear(document.getElementById("apply-result")).appendChild(el("p", { className: "muted" }, "正在评估，需要几秒到一分钟……"));
    try {
      renderApply(await A.call("learned/apply", { dry_run: dryRun }));
    } catch (err) {
      A.notify(err.message, "error");
    }
    await refresh();
  }

  async function refresh() {
    renderLearned(await A.call("learned"));
    const status = document.getElementById("status").value;
    const kind = document.getElementById("kind").value;
    const data = await A.call("questions?status=" + status + "&kind=" + kind);
    const box = A.clear(document.getElementById("groups"));
    document.getElementById("group-count").textContent = "共 " + data.total + " 组" + (data.total > data.groups.length ? "，显示前 " + data.groups.length + " 组" : "");
    if (!data.groups.length) box.appendChild(el("p", { className: "muted" }, "没有需要处理的问题。"));
    for (const group of data.groups) box.appendChild(groupCard(group));
  }

  A.onReady(async function () {
    document.getElementById("filter").addEventListener("submit", function (event) {
      event.preventDefault();
      refresh().catch(function (err) { A.notify(err.message, "error"); });
    });
    document.getElementById("apply").addEventListener("click", function () { apply(false); });
    document.getElementById("dry-run").addEventListener("click", function () { apply(true); });
    await refresh();
  });
})();
