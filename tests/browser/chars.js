// The characters of a text node as laid out: calls visit(ch, rect) for each one that is not
// whitespace and has a box (Range.getClientRects). Shared by phrases.js and linebreaks.js, which
// receive it as their last argument (tests/pages.py: browser_script).
(node, visit) => {
  const text = node.textContent;
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i])) continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rect = [...range.getClientRects()].find((r) => r.width > 0);
    if (rect) visit(text[i], rect);
  }
}
