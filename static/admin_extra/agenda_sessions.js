/* A session and its parts in one save of the edition page.
 * A new agenda row with a title is offered in the session select of every other row as
 * "new-<row index>" (labelled "<title> (new row)" in the staff language, from the select's
 * data-new-row-label); the server saves that row first, then its parts (seminars.agenda_rows).
 * Rows removed before saving renumber the others: choices follow their row, not its number.
 */
"use strict";
function agendaSessions() {
  const group = document.getElementById("agenda_items-group");
  if (!group) return;
  let nextKey = 1;

  function indexOf(row) {
    const match = /^agenda_items-(\d+)$/.exec(row.id || "");
    return match ? match[1] : null;
  }

  function keyOf(row) {
    if (!row.dataset.sessionKey) row.dataset.sessionKey = String(nextKey++);
    return row.dataset.sessionKey;
  }

  function newRows() {
    return Array.from(group.querySelectorAll("tr.form-row")).filter(function (row) {
      if (row.classList.contains("empty-form") || indexOf(row) === null) return false;
      const id = row.querySelector("input[name$='-id']");
      return !id || !id.value;
    });
  }

  function titleOf(row) {
    const chinese = (document.documentElement.lang || "").toLowerCase().startsWith("zh");
    const order = chinese ? ["zh_hans", "ja"] : ["ja", "zh_hans"];
    for (const language of order) {
      const input = row.querySelector("input[name$='-title_" + language + "']");
      if (input && input.value.trim()) return input.value.trim();
    }
    return "";
  }

  function rowByIndex(index) {
    return document.getElementById("agenda_items-" + index);
  }

  // Options rendered by the server after a refused save: tie them to their rows.
  group.querySelectorAll("select.agenda-session option[value^='new-']").forEach(function (option) {
    const row = rowByIndex(option.value.slice(4));
    if (row) option.dataset.key = keyOf(row);
  });

  function refresh() {
    const offered = newRows()
      .map(function (row) {
        return { row: row, key: keyOf(row), value: "new-" + indexOf(row), title: titleOf(row) };
      })
      .filter(function (entry) { return entry.title; });
    group.querySelectorAll("select.agenda-session").forEach(function (select) {
      const own = select.closest("tr.form-row");
      if (!own || own.classList.contains("empty-form")) return;
      const chosen = select.selectedOptions[0];
      const chosenKey = chosen && chosen.dataset.key;
      Array.from(select.options).forEach(function (option) {
        if (option.value.startsWith("new-")) option.remove();
      });
      const label = select.dataset.newRowLabel || "%(title)s";
      offered.forEach(function (entry) {
        if (entry.row === own) return;
        const option = new Option(label.replace("%(title)s", entry.title), entry.value);
        option.dataset.key = entry.key;
        option.selected = entry.key === chosenKey;
        select.add(option);
      });
    });
  }

  group.addEventListener("input", function (event) {
    if (/-title_(ja|zh_hans)$/.test(event.target.name || "")) refresh();
  });
  document.addEventListener("formset:added", refresh);
  // Sent before the rows after it are renumbered: refresh once they are.
  document.addEventListener("formset:removed", function () { setTimeout(refresh, 0); });
  refresh();
}
// The admin puts form media in the page head: wait for the inline groups.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", agendaSessions);
} else {
  agendaSessions();
}
