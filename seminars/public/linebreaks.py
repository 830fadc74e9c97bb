"""Phrase-aware line breaks for Japanese and Chinese text (BudouX), keeping proper nouns whole.

A browser breaks CJK text between any two characters (新疆ウイ/グル, 招商引/资). BudouX splits a
sentence into phrases; `phrased()` marks the boundaries with <wbr> inside a `.phrases` span whose
CSS (`word-break: keep-all`, `overflow-wrap: anywhere`) allows breaks only there, at spaces and
at punctuation, with a break anywhere as the last resort for a string wider than its box.

BudouX's models split some names (黑龙/江省, 广西壮族/自治区) and words of the record (招商/引资):
no boundary is kept inside a term of `Lexicon` (the page's own proper nouns: cities, provinces,
organizations, people and positions; plus PROVINCES and TERMS below).

Cost: parsing is ~0.04 ms a string; results are cached per process (text, language, lexicon),
so a page rendered again costs a dictionary look-up a string: ~0.4 ms on the 2018 page (20 texts
and its lexicon, measured warm in both languages).
"""

import re
from functools import lru_cache
from itertools import pairwise

import budoux
from django.utils.html import escape
from django.utils.safestring import mark_safe

# Provincial-level divisions, both languages: their names appear in themes and summaries too.
PROVINCES = (
    "黒竜江省 黑龙江省 吉林省 遼寧省 辽宁省 河北省 山西省 山東省 山东省 河南省 江蘇省 江苏省 "
    "浙江省 安徽省 福建省 江西省 湖北省 湖南省 広東省 广东省 海南省 四川省 貴州省 贵州省 "
    "雲南省 云南省 陝西省 陕西省 甘粛省 甘肃省 青海省 台湾省 "
    "内モンゴル自治区 内蒙古自治区 広西チワン族自治区 广西壮族自治区 チベット自治区 西藏自治区 "
    "寧夏回族自治区 宁夏回族自治区 新疆ウイグル自治区 新疆维吾尔自治区 "
    "北京市 天津市 上海市 重慶市 重庆市 香港 澳門 澳门"
).split()
# Words of the record that BudouX's models split.
TERMS = (
    "招商引资",
    "招商引資",
    "企業誘致",
    "地方政府",
    "日本国自治体国際化協会",
    "日本国自治体国际化协会",
)
# A phrase also ends after closing punctuation and a space, before opening punctuation, and on
# both sides of a wave dash (「展望～新旧」, 「展館）が」): a browser may break there whatever the
# phrases, so the phrases say so too.
CLOSING = frozenset("、。，．）」』】〕〉》!?！？：；")
WAVE = frozenset("～〜")
OPENING = frozenset("（「『【〔〈《")
# A <wbr> is a break whatever the rules of line-break: strict, so none goes before what may not
# start a line (closing punctuation, small kana, ー) or after what may not end one.
NO_LINE_START = CLOSING | frozenset("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶー・")


def _breakable(text, i):
    return text[i] not in NO_LINE_START and text[i - 1] not in OPENING


_PARSERS = {}


def parser(language):
    """BudouX's model for the language (Simplified Chinese for zh-hans), loaded once."""
    key = "zh" if language.startswith("zh") else "ja"
    if key not in _PARSERS:
        _PARSERS[key] = (
            budoux.load_default_simplified_chinese_parser()
            if key == "zh"
            else budoux.load_default_japanese_parser()
        )
    return _PARSERS[key]


class Lexicon:
    """Terms no line may break inside, as one pattern (longest first)."""

    def __init__(self, terms=()):
        words = {t.strip() for t in (*PROVINCES, *TERMS, *terms) if t and len(t.strip()) > 1}
        ordered = sorted(words, key=len, reverse=True)
        self.pattern = "|".join(re.escape(w) for w in ordered)

    @property
    def regex(self):
        return _compiled(self.pattern)


@lru_cache(maxsize=64)
def _compiled(pattern):
    return re.compile(pattern) if pattern else None


DEFAULT = Lexicon()


def phrases(text, language, lexicon=DEFAULT):
    """The text's phrases: BudouX's, merged wherever a boundary falls inside a lexicon term."""
    return _phrases(text, language, lexicon.pattern)


@lru_cache(maxsize=8192)
def _phrases(text, language, pattern):
    chunks = parser(language).parse(text)
    cuts, position = set(), 0
    for chunk in chunks[:-1]:
        position += len(chunk)
        cuts.add(position)
    cuts.update(
        i
        for i in range(1, len(text))
        if (text[i - 1] in CLOSING and text[i] not in CLOSING)
        or text[i] in OPENING
        or text[i] in WAVE
        or text[i - 1] in WAVE
        or text[i - 1].isspace()
    )
    regex = _compiled(pattern)
    inside = set()
    if regex is not None:
        for match in regex.finditer(text):
            inside.update(range(match.start() + 1, match.end()))
            cuts.update((match.start(), match.end()))  # a term is a phrase of its own
    kept = (c for c in cuts if 0 < c < len(text) and c not in inside and _breakable(text, c))
    cuts = [0, *sorted(kept), len(text)]
    return tuple(text[a:b] for a, b in pairwise(cuts))


def phrased(text, language, lexicon=DEFAULT, lang_attr=""):
    """Escaped HTML: the text in a `.phrases` span with <wbr> between its phrases."""
    if not text:
        return ""
    return mark_safe(_html(text, language, lexicon.pattern, lang_attr))


@lru_cache(maxsize=8192)
def _html(text, language, pattern, lang_attr):
    parts = _phrases(text, language, pattern)
    inner = "<wbr>".join(escape(p) for p in parts)
    lang = f' lang="{lang_attr}"' if lang_attr else ""
    return f'<span class="phrases"{lang}>{inner}</span>'
