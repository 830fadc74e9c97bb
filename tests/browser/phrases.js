// Words split across lines. The page's text is measured character by character
// (Range.getClientRects) and grouped by the block that lays it out, in reading order; a new
// line starts where a character starts below the middle of the one before. Returns
// [{kind, text, word}] where kind is
//   "word"   a word of `words` (the record's proper nouns) has characters on two lines,
//   "phrase" a BudouX phrase (a text node of a .phrases span) does, unless it is wider than its
//            block (overflow-wrap then breaks it, the last resort),
//   "start"  a line starts with a small kana, ー or closing punctuation.
// eachChar: chars.js.
({ words }, eachChar) => {
  const LINE_START = /[ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰ-ㇿー、。，．）」』】〕・：；！？]/;
  const blockOf = (element) => {
    while (element && ["inline", "contents"].includes(getComputedStyle(element).display)) {
      element = element.parentElement;
    }
    return element;
  };
  const blocks = new Map();
  const widths = new Map(); // a block's content width: a phrase wider than it must break
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    if (node.parentElement.closest("script, style, svg, .visually-hidden")) continue;
    const block = blockOf(node.parentElement);
    eachChar(node, (ch, rect) => {
      if (!blocks.has(block)) blocks.set(block, []);
      blocks.get(block).push({ ch, top: rect.top, bottom: rect.bottom, width: rect.width, node });
      if (!widths.has(block)) widths.set(block, block.clientWidth || block.getBoundingClientRect().width);
    });
  }
  const offenders = [];
  for (const [block, chars] of blocks) {
    let line = 0;
    chars.forEach((c, i) => {
      if (i && c.top > (chars[i - 1].top + chars[i - 1].bottom) / 2) line++;
      c.line = line;
    });
    const text = chars.map((c) => c.ch).join("");
    const label = text.slice(0, 60);
    for (const word of words) {
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
        if (chars[at].line !== chars[at + word.length - 1].line) {
          offenders.push({ kind: "word", text: label, word });
        }
      }
    }
    const phrases = new Map();
    for (const c of chars) {
      if (c.node.parentElement.classList.contains("phrases")) {
        phrases.set(c.node, [...(phrases.get(c.node) || []), c]);
      }
    }
    for (const [node, cs] of phrases) {
      const wide = cs.reduce((sum, c) => sum + c.width, 0) > widths.get(block);
      if (cs[0].line !== cs[cs.length - 1].line && !wide) {
        offenders.push({ kind: "phrase", text: label, word: node.textContent });
      }
    }
    chars.forEach((c, i) => {
      if (i && c.line !== chars[i - 1].line && LINE_START.test(c.ch)) {
        const start = chars.slice(i, i + 6).map((x) => x.ch).join("");
        offenders.push({ kind: "start", text: label, word: start });
      }
    });
  }
  return offenders;
}
