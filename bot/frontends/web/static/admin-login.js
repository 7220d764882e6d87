// The login form: a pre-login CSRF token first, then the name and password as JSON.
"use strict";

(function () {
  const PAGES = ["dashboard", "questions", "knowledge", "quiz", "audit"];
  const form = document.getElementById("login");
  const error = document.getElementById("login-error");
  let csrf = null;

  function show(text) {
    error.textContent = text;
    error.hidden = !text;
  }

  async function fetchToken() {
    const response = await fetch("../api/admin/login-token", { credentials: "same-origin" });
    const data = await response.json();
    csrf = data.csrf;
  }

  function nextPage() {
    const wanted = new URLSearchParams(window.location.search).get("next");
    return PAGES.indexOf(wanted) >= 0 ? wanted : "dashboard";
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    show("");
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      if (!csrf) await fetchToken();
      const response = await fetch("../api/admin/login", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({
          name: document.getElementById("name").value,
          password: document.getElementById("password").value,
        }),
      });
      let data = null;
      try { data = await response.json(); } catch (err) { data = null; }
      if (response.ok) {
        window.location.assign(nextPage());
        return;
      }
      if (response.status === 403) csrf = null;
      show(data && data.message ? data.message : "登录失败，请稍后再试。");
    } catch (err) {
      show("网络连接失败，请检查网络后重试。");
    } finally {
      button.disabled = false;
    }
  });

  fetchToken().catch(function () { show("无法连接服务器，请稍后刷新页面。"); });
})();
