// Shared by the chat and practice pages: one JSON call to the API with Chinese error text.
// Loaded before chat.js / quiz.js; it defines window.ipregCall and nothing else.
"use strict";

(function () {
  async function call(path, payload) {
    const options = payload === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json" },
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
