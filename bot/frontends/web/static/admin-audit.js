// The audit log: one row per admin action, newest first, a page at a time.
"use strict";

(function () {
  const A = window.ipregAdmin;
  const el = A.el;
  const PAGE = 100;
  const ACTIONS = {
    login: "登录",
    logout: "退出登录",
    reload: "重新加载知识库",
    attach: "关联问法",
    detach: "移除问法",
    out_of_scope: "标为超出范围",
    dismissed: "忽略",
    reopen: "恢复为未处理",
    apply: "应用学到的问法",
    apply_refused: "应用被拒绝",
    live_created: "创建现场竞赛",
    report: "下载报告",
    account_added: "添加账号",
    account_removed: "删除账号",
  };
  let offset = 0;

  async function load() {
    const data = await A.call("audit?limit=" + PAGE + "&offset=" + offset);
    const body = document.querySelector("#audit tbody");
    for (const row of data.rows) {
      body.appendChild(el("tr", null, [
        el("td", { className: "nowrap" }, A.when(row.at)),
        el("td", null, row.actor),
        el("td", null, ACTIONS[row.action] || row.action),
        el("td", { className: "wrap" }, row.detail),
      ]));
    }
    offset += data.rows.length;
    document.getElementById("more").hidden = offset >= data.total;
    if (!data.total) A.notify("还没有操作记录。");
  }

  A.onReady(async function () {
    document.getElementById("more").addEventListener("click", function () {
      load().catch(function (err) { A.notify(err.message, "error"); });
    });
    await load();
  });
})();
