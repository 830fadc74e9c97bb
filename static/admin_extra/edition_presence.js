/* The edition page tells who else has it open (seminars.versions: a short-lived mark in the
 * cache). While the page is open it says so every `data-seconds` and shows what the server
 * answers about the others; leaving the page drops the mark at once.
 */
"use strict";
(function () {
  const box = document.getElementById("edition-presence");
  const tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!box || !tokenInput) return;
  const url = box.dataset.url;
  const seconds = parseInt(box.dataset.seconds, 10) || 60;

  function show(notices) {
    box.replaceChildren();
    if (!notices.length) return;
    const list = document.createElement("ul");
    list.className = "messagelist";
    notices.forEach(function (text) {
      const item = document.createElement("li");
      item.className = "warning";
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function beat() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", tokenInput.value);
    fetch(url, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) show(answer.notices); })
      .catch(function () {});
  }

  window.setInterval(beat, seconds * 1000);
  window.addEventListener("pagehide", function () {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", tokenInput.value);
    body.append("left", "1");
    navigator.sendBeacon(url, body);
  });
})();
