/* The admin in the staff language, without noise.
 * - Translation tabs and the language switch name the language ("日本語", "简体中文"), not its code.
 * - No "your time differs from the server" note under every date and time input: the seminar's
 *   dates and times are China local time, which the page says once where times are edited.
 * - A link to "#tab_id_theme_zh_hans" opens that field's tab.
 * - Rows of inlines with an order column get up/down arrows and a handle to drag them by;
 *   added rows go to the end.
 */
"use strict";
(function () {
  // Before DateTimeShortcuts runs (on window load): it adds the note only when the offset is set.
  delete document.body.dataset.adminUtcOffset;

  const words = document.getElementById("admin-words");
  const names = {};
  if (words) {
    words.content.querySelectorAll("span[data-code]").forEach(function (span) {
      names[span.dataset.code.toLowerCase()] = span.textContent.trim();
    });
  }

  function nameTabs(root) {
    root.querySelectorAll(".ui-tabs-nav a, ul.ui-tabs-nav a, td > ul a[href^='#tab_'], div > ul a[href^='#tab_']").forEach(function (link) {
      const code = link.textContent.trim().toLowerCase();
      if (names[code]) {
        link.textContent = names[code];
        link.setAttribute("lang", code === "zh-hans" ? "zh-Hans" : code);
      }
    });
    root.querySelectorAll("select.modeltranslation-switch option").forEach(function (option) {
      const code = option.textContent.trim().toLowerCase();
      if (names[code]) option.textContent = names[code];
    });
  }

  function openTabFromHash() {
    const hash = window.location.hash;
    if (!hash.startsWith("#tab_")) return;
    const link = document.querySelector("a[href='" + hash.replace(/'/g, "") + "']");
    if (link) {
      link.click();
      link.scrollIntoView({block: "center"});
    }
  }

  function orderInputs(group) {
    return Array.from(group.querySelectorAll("tr.form-row:not(.empty-form) td.field-order input"));
  }

  function renumber(group) {
    orderInputs(group).forEach(function (input, index) {
      input.value = String((index + 1) * 10);
    });
  }

  function arrow(label, text, move) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "order-arrow";
    button.textContent = text;
    button.title = label;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", move);
    return button;
  }

  function addOrderControls(row) {
    const cell = row.querySelector("td.field-order");
    if (!cell || !cell.querySelector("input") || cell.querySelector(".order-arrow") || row.classList.contains("empty-form")) return;
    const group = row.closest(".inline-group");
    addHandle(row, cell, group);
    const up = words ? words.dataset.moveUp : "↑";
    const down = words ? words.dataset.moveDown : "↓";
    cell.appendChild(arrow(up, "↑", function () {
      if (swap(row, "previousElementSibling")) renumber(group);
    }));
    cell.appendChild(arrow(down, "↓", function () {
      if (swap(row, "nextElementSibling")) renumber(group);
    }));
  }

  // Swaps the row with the nearest form row before or after it (`step`: the sibling property),
  // never with the empty form; false when there is none.
  function swap(row, step) {
    let other = row[step];
    while (other && !other.classList.contains("form-row")) other = other[step];
    if (!other || other.classList.contains("empty-form")) return false;
    if (step === "previousElementSibling") row.parentNode.insertBefore(row, other);
    else row.parentNode.insertBefore(other, row);
    return true;
  }

  // Drag and drop: a row becomes draggable only while its handle is held, so that text in its
  // inputs can still be selected; dropped on another row of the same table, it takes that row's
  // place. The arrows remain for the keyboard.
  let dragged = null;

  function droppableOn(row) {
    return dragged && dragged !== row && dragged.parentNode === row.parentNode;
  }

  function addHandle(row, cell, group) {
    const handle = document.createElement("span");
    handle.className = "order-handle";
    handle.textContent = "⠿";
    handle.title = words ? words.dataset.drag : "";
    handle.setAttribute("aria-hidden", "true");
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    cell.prepend(handle);
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      row.classList.add("order-dragging");
    });
    row.addEventListener("dragend", function () {
      row.draggable = false;
      row.classList.remove("order-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (droppableOn(row)) event.preventDefault();
    });
    row.addEventListener("drop", function (event) {
      if (!droppableOn(row)) return;
      event.preventDefault();
      const rows = Array.from(row.parentNode.children);
      const after = rows.indexOf(dragged) < rows.indexOf(row);
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
      renumber(group);
    });
  }

  // A handle pressed and released without a drag leaves the row as it was.
  document.addEventListener("mouseup", function () {
    document.querySelectorAll("tr.form-row[draggable=true]").forEach(function (row) {
      if (row !== dragged) row.draggable = false;
    });
  });

  document.addEventListener("formset:added", function (event) {
    const row = event.target;
    const group = row.closest(".inline-group");
    const input = row.querySelector("td.field-order input");
    if (group && input) {
      const values = orderInputs(group).filter(function (other) { return other !== input; })
        .map(function (other) { return parseInt(other.value, 10) || 0; });
      input.value = String((values.length ? Math.max.apply(null, values) : 0) + 10);
    }
    addOrderControls(row);
    nameTabs(row.closest(".inline-group") || document);
  });

  // The tab script builds its tabs on jQuery's ready (and again for added rows): name them as
  // they appear.
  let pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameTabs(document);
    });
  }).observe(document.documentElement, {childList: true, subtree: true});

  window.addEventListener("load", function () {
    nameTabs(document);
    document.querySelectorAll(".inline-group tr.form-row").forEach(addOrderControls);
    openTabFromHash();
    // Once more after the other load handlers (the calendar, the tabs of added rows).
    window.setTimeout(openTabFromHash, 150);
  });
  window.addEventListener("hashchange", openTabFromHash);
})();
