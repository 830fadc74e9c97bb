/* Each cell of a tabular inline row carries its column's name (data-label), from the table head
 * as the translation tabs leave it: on a phone the rows stack and admin.css shows the name above
 * each cell (the head itself is hidden there). Runs again when rows or tabs are added.
 * Read-only translated columns (no tabs: a publisher's view) are headed "タイトル（日本語）":
 * the tab script strips the language from every head, leaving two identical ones. */
"use strict";
(function () {
  const TRANSLATED = /(?:^|\s)column-\w+?_(ja|zh_hans)(?:\s|$)/;

  function shown(th) {
    return th.style.display !== "none";
  }

  function languageNames() {
    const names = {};
    const words = document.getElementById("admin-words");
    if (words) {
      words.content.querySelectorAll("span[data-code]").forEach(function (span) {
        names[span.dataset.code.toLowerCase().replace("-", "_")] = span.textContent.trim();
      });
    }
    return names;
  }

  function nameLanguages(heads) {
    const names = languageNames();
    const translated = heads.filter(function (th) { return TRANSLATED.test(th.className); });
    // Editable columns show one head per field (the tabs name the languages): nothing to do.
    if (translated.length < 2) return;
    translated.forEach(function (th) {
      const language = names[th.className.match(TRANSLATED)[1]];
      if (!language || th.querySelector(".column-language")) return;
      const span = document.createElement("span");
      span.className = "column-language";
      span.textContent = "（" + language + "）";
      th.insertBefore(span, th.querySelector("img"));
    });
  }

  function labelTable(table) {
    const heads = Array.from(table.querySelectorAll(":scope > thead > tr > th")).filter(shown);
    nameLanguages(heads);
    const names = heads.map(function (th) { return th.textContent.replace(/\s+/g, " ").trim(); });
    table.querySelectorAll(":scope > tbody > tr.form-row").forEach(function (row) {
      const cells = Array.from(row.children).filter(function (cell) { return cell.tagName === "TD"; });
      if (cells.length !== names.length) return; // not yet in step with the head: next time
      cells.forEach(function (cell, index) {
        if (names[index]) cell.dataset.label = names[index];
        else delete cell.dataset.label;
      });
    });
  }

  function labelAll() {
    document.querySelectorAll(".inline-group .tabular table").forEach(labelTable);
  }

  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      labelAll();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelAll();
    document.querySelectorAll(".inline-group").forEach(function (group) {
      new MutationObserver(soon).observe(group, {childList: true, subtree: true});
    });
  });
  window.addEventListener("load", labelAll);
  document.addEventListener("formset:added", soon);
})();
