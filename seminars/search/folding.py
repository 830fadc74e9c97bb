"""One spelling per character, for the index and for the query alike.

A character is folded on its own, never as part of a phrase: NFKC (full-width ｡ＡＢ１ and
half-width ｶﾅ to their usual forms), case folding, then OpenCC's `jp2t` (Japanese shinjitai to
traditional: 黒 → 黑, 県 → 縣) and `t2s` (traditional to simplified: 綿 → 绵, 陽 → 阳, 業 → 业).
OpenCC (the `opencc` package, the project's own Python binding with its dictionaries) converts
phrases too; converting one character at a time keeps the folding of a character the same
wherever it stands (the query 阳 and the 阳 inside 绵阳 fold alike) and lets a match in the folded
text be mapped back to the original characters for highlighting. Control characters fold to
nothing; whitespace is kept (the query splits on it).

`JAPANESE` overrides OpenCC where a shinjitai stands for several traditional characters and the
record means one of them: 弁 in 弁公室 / 弁事処 is 辦 (办), not 辨.
"""

import functools
import unicodedata

JAPANESE = {"弁": "办"}


@functools.cache
def _converters():
    import opencc  # on first use: its library and dictionaries cost a web worker about 2 MiB

    return opencc.OpenCC("jp2t"), opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def fold_char(char):
    """The folded form of one character (an empty string, one or a few characters)."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and not char.isspace():
        return ""
    text = unicodedata.normalize("NFKC", char).casefold()
    if not any("\u2e80" <= c <= "\U0003134f" for c in text):
        return text
    if text in JAPANESE:
        return JAPANESE[text]
    japanese, simplified = _converters()
    converted = "".join(simplified.convert(japanese.convert(c)) for c in text)
    return converted if len(converted) == len(text) else text


def fold(text):
    """`text` with every character folded."""
    return "".join(map(fold_char, text))


def fold_with_positions(text):
    """(folded text, for each folded character the index of the original character it came
    from)."""
    folded, positions = [], []
    for index, char in enumerate(text):
        part = fold_char(char)
        folded.append(part)
        positions.extend([index] * len(part))
    return "".join(folded), positions
