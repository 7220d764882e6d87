// Shared by the chat and practice pages: one JSON call to the API with Chinese error text.
// Loaded before chat.js / quiz.js; it defines window.ipregCall and nothing else.
"use strict";

(function () {
  // A random client token kept in this browser: the server keys statistics and practice
  // scores on its hash (never on an address or a name). In an iframe a third-party cookie
  // may be refused; the header still works.
  const TOKEN_KEY = "ipreg-client-token";
  function clientToken() {
    try {
      let token = window.localStorage.getItem(TOKEN_KEY);
      if (!token || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) {
        const bytes = new Uint8Array(18);
        window.crypto.getRandomValues(bytes);
        token = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
        window.localStorage.setItem(TOKEN_KEY, token);
      }
      return token;
    } catch (err) {
      return null; // storage blocked: the cookie the server sets keeps the visitor instead
    }
  }

  async function call(path, payload) {
    const headers = {};
    const token = clientToken();
    if (token) headers["X-Client-Token"] = token;
    const options = payload === undefined ? { headers: headers } : {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, headers),
      body: JSON.stringify(payload),
    };
    let response;
    try {
      response = await fetch(path, options);
    } catch (err) {
      throw new Error("网络连接失败，请检查网络后重试。");
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok || data === null) {
      throw new Error(data && data.message ? data.message : "服务暂时不可用，请稍后再试。");
    }
    return data;
  }

  window.ipregCall = call;
})();
