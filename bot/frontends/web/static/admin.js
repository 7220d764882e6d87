// Shared by the admin console's pages: the session and its CSRF token, JSON calls, the
// navigation bar, and `el`, which builds DOM nodes with textContent only — questions typed
// by the public are shown here, and none of them may ever become markup.
// Loaded before each page's own script; it defines window.ipregAdmin and nothing else.
"use strict";

(function () {
  const NAV = [
    ["dashboard", "概览"],
    ["questions", "未答问题"],
    ["knowledge", "知识库"],
    ["quiz", "题库与竞赛"],
    ["audit", "操作记录"],
  ];
  const session = { name: null, csrf: null };
  const ready = [];

  // el("p", {className: "x", title: "y"}, "text" | node | [text and nodes]).
  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const key of Object.keys(props)) {
        const value = props[key];
        if (value === undefined || value === null) continue;
        if (/html/i.test(key)) throw new Error("el(): markup is never set from data");
        if (key === "dataset") Object.assign(node.dataset, value);
        else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
        else node[key] = value;
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === undefined || children === null) return node;
    for (const child of [].concat(children)) {
      if (child === undefined || child === null || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function pageName() {
    return document.body.dataset.page || "dashboard";
  }

  function toLogin() {
    window.location.assign("login?next=" + encodeURIComponent(pageName()));
  }

  // A JSON call to ../api/admin/<path>; a payload makes it a POST with the CSRF token.
  async function call(path, payload) {
    const options = { credentials: "same-origin", headers: {} };
    if (payload !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = session.csrf || "";
      options.body = JSON.stringify(payload);
    }
    let response;
    try {
      response = await fetch("../api/admin/" + path, options);
    } catch (err) {
      throw new Error("网络连接失败，请检查网络后重试。");
    }
    if (response.status === 401) {
      toLogin();
      throw new Error("登录已过期，请重新登录。");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok && !(data && data.applied === false)) {
      const error = new Error(data && data.message ? data.message : "服务暂时不可用，请稍后再试。");
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }

  function nav() {
    const here = pageName();
    const links = NAV.map(function (item) {
      return el("a", {
        href: item[0],
        className: item[0] === here ? "current" : "",
        ariaCurrent: item[0] === here ? "page" : null,
      }, item[1]);
    });
    const logout = el("button", { type: "button", className: "link", id: "logout" }, "退出登录");
    logout.addEventListener("click", async function () {
      try {
        await call("logout", {});
      } finally {
        window.location.assign("login");
      }
    });
    const bar = el("header", { className: "admin-bar" }, [
      el("h1", null, el("a", { href: "dashboard" }, "条例宣贯助手 · 管理后台")),
      el("nav", { ariaLabel: "管理后台" }, links),
      el("p", { className: "who" }, [el("span", { id: "who" }, session.name), " ", logout]),
    ]);
    document.body.insertBefore(bar, document.body.firstChild);
  }

  // A line under the page title that says what happened (role=status) or went wrong.
  function notify(text, kind) {
    let box = document.getElementById("notice");
    if (!box) return;
    box.textContent = text || "";
    box.className = "notice " + (kind || "");
    box.hidden = !text;
  }

  function percent(part, whole) {
    return whole ? (Math.round((1000 * part) / whole) / 10).toFixed(1) + "%" : "—";
  }

  function when(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    if (isNaN(date.getTime())) return iso;
    return date.toLocaleString("zh-CN", { hour12: false });
  }

  async function start() {
    try {
      const data = await call("session");
      session.name = data.name;
      session.csrf = data.csrf;
    } catch (err) {
      return; // call() went to the login page
    }
    nav();
    for (const fn of ready) {
      try {
        await fn();
      } catch (err) {
        notify(err.message, "error");
      }
    }
  }

  window.ipregAdmin = {
    el: el,
    append: append,
    clear: clear,
    call: call,
    notify: notify,
    percent: percent,
    when: when,
    onReady: function (fn) { ready.push(fn); },
  };
  document.addEventListener("DOMContentLoaded", start);
})();
