// Lines of headings, table cells and short labels that hold a single CJK character alone
// (「…可持续发 / 展」): each element's characters are measured with Range.getClientRects() and
// grouped by line. Returns [{tag, text, line}] of the offenders. eachChar: chars.js.
(selectors, eachChar) => {
  const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]/;
  const offenders = [];
  for (const element of document.querySelectorAll(selectors)) {
    if (!element.offsetParent && getComputedStyle(element).position !== "fixed") continue;
    const lines = new Map();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      eachChar(node, (ch, rect) => {
        const key = Math.round(rect.top + rect.height / 2);
        const line = [...lines.keys()].find((k) => Math.abs(k - key) < rect.height / 2);
        const chars = lines.get(line ?? key) || [];
        chars.push(ch);
        lines.set(line ?? key, chars);
      });
    }
    if (lines.size < 2) continue;
    for (const chars of lines.values()) {
      if (chars.length === 1 && CJK.test(chars[0])) {
        offenders.push({
          tag: element.tagName.toLowerCase(),
          text: element.innerText.replace(/\s+/g, " ").slice(0, 60),
          line: chars.join(""),
        });
      }
    }
  }
  return offenders;
}
