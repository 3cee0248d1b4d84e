"""Deterministic tokenizer corpus: >= 10,000 varied lines (singles and pairs) for parity tests.

Every character is assigned in Unicode 14 (Python 3.11's unicodedata), is private use, or is a
code point no Unicode version assigns (noncharacters, planes 4-13), so Python and Swift agree on
its category. U+1171E is left out: Unicode 14 calls it Mn, Swift's newer tables call it Mc.
"""
from __future__ import annotations

import random
import unicodedata

EXCLUDED = {0x1171E}

ACCENTED_WORDS = (
    "café crème brûlée façade naïve résumé déjà vu à la carte Zürich München Müller Größe Straße "
    "Ärger Öl Über São Paulo coração ação Ñandú niño señor mañana España Łódź Kraków źdźbło "
    "Dvořák Čeština Příliš žluťoučký kůň Ångström Ærø Øresund Þórsmörk Reykjavík İstanbul "
    "ılık Şişli Gödel Erdős Tiếng Việt Nguyễn Hà Nội Phở Đà Nẵng Ελλάδα ΟΔΟΣ Σίσυφος "
    "Москва Ёлка Україна Київ Ĳsselmeer ǅemal ǈubljana ǋegoš Hålogaland Ŝtono ĉiuĵaŭde"
).split()

SCRIPTS = {
    "cyrillic": (0x0410, 0x044F), "greek": (0x0391, 0x03C9), "arabic": (0x0621, 0x064A),
    "hebrew": (0x05D0, 0x05EA), "devanagari": (0x0905, 0x0939), "thai": (0x0E01, 0x0E2E),
    "georgian": (0x10D0, 0x10FA), "armenian": (0x0531, 0x0556), "ethiopic": (0x1200, 0x1248),
    "cherokee": (0x13A0, 0x13F4), "deseret": (0x10400, 0x1044F), "math": (0x1D400, 0x1D4FF),
    "fullwidth": (0xFF21, 0xFF5A), "hangul": (0xAC00, 0xD7A3), "hiragana": (0x3041, 0x3096),
    "katakana": (0x30A1, 0x30FA), "cjk": (0x4E00, 0x9FFF), "cjk_a": (0x3400, 0x4DBF),
    "cjk_b": (0x20000, 0x2A6DF), "cjk_compat": (0xF900, 0xFAD9), "cjk_compat_sup": (0x2F800, 0x2FA1D),
    "roman": (0x2160, 0x2188), "circled": (0x24B6, 0x24E9), "jamo": (0x1100, 0x11FF),
}
MARKS = [0x0300, 0x0301, 0x0302, 0x0303, 0x0308, 0x030A, 0x030C, 0x0327, 0x0328, 0x0323, 0x0345,
         0x064B, 0x064E, 0x05B7, 0x05BC, 0x093C, 0x094D, 0x0E31, 0x0E48, 0x20DD, 0x1D165, 0x1D16D, 0xFE0F]
SPECIAL_CASES = "İ ı ẞ ß ŉ ǰ ﬁ ﬂ ﬀ ﬃ K Ω Å ǅ ǈ ǋ ǲ ᾼ ᾈ ΐ Σ ς ẞ ℌ ℡ ™ ½ ² ³ ¹ ⁴ ₂ µ Ⅻ ⅻ Ⓐ ⓐ ﹏ ︵ ㍿".split()
CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010),
            *range(0x202A, 0x202F), *range(0x2060, 0x2065), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB, 0xFFFD,
            0xE000, 0xF8FF, 0xF0000, 0x10FFFD, 0xFDD0, 0xFFFE, 0xFFFF, 0x50000, 0xE0001, 0xE0041]
SPACES = [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680,
          *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
PUNCT = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + list("¡¿«»„“”‘’‹›–—―‐‑‒…‰′″§¶·•†‡、。「」『』【】〈〉《》〔〕・！？，．：；（）［］｛｝｟｠｡｢｣､·჻჻׳״؟،؛۔।॥๏๚๛፡።፣")
EMOJI = ["😀", "😂", "🤖", "🚀", "❤️", "👍🏽", "👩‍💻", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇯🇵", "#️⃣", "1️⃣", "☕", "✨", "🧑🏿‍🚀",
         "🙈🙉🙊", "💯", "🔥", "🥲", "🫠", "©️", "®", "™️", "〰️", "🀄", "🂡", "♠️", "⚽", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👋🏻", "🦄", "🍣"]
SPECIAL_TOKENS = ["[MASK]", "[CLS]", "[SEP]", "[PAD]", "[UNK]"]
TLDS = ["com", "org", "io", "co.uk", "de", "中国", "рф"]


class CorpusBuilder:
    """Draws lines from a seeded generator; the same seed gives the same corpus."""

    def __init__(self, vocab: list[str], seed: int = 20240501):
        self.rng = random.Random(seed)
        self.words = [t for t in vocab if t.isascii() and t.isalpha() and not t.startswith("##")]
        self.assigned = [cp for cp in range(0x110000)
                         if not 0xD800 <= cp <= 0xDFFF and cp not in EXCLUDED
                         and unicodedata.category(chr(cp)) not in ("Cn", "Cs")]

    # -- pieces ------------------------------------------------------------------------------
    def word(self) -> str:
        r = self.rng
        w = r.choice(self.words)
        style = r.random()
        if style < 0.5:
            return w
        if style < 0.75:
            return w.capitalize()
        if style < 0.9:
            return w.upper()
        return "".join(c.upper() if r.random() < 0.5 else c for c in w)

    def sentence(self, n: int | None = None) -> str:
        r = self.rng
        n = n or r.randint(3, 25)
        parts = []
        for _ in range(n):
            x = r.random()
            if x < 0.8:
                parts.append(self.word())
            elif x < 0.9:
                parts.append(self.number())
            else:
                parts.append(r.choice(PUNCT))
        text = " ".join(parts)
        return text + r.choice([".", "!", "?", "", "...", " :)"])

    def number(self) -> str:
        r = self.rng
        return r.choice([
            str(r.randint(0, 10**r.randint(1, 12))), f"{r.uniform(-1e6, 1e6):.{r.randint(0, 6)}f}",
            f"{r.randint(1, 999)},{r.randint(0, 999):03d},{r.randint(0, 999):03d}", f"{r.randint(1, 100)}%",
            f"+1 ({r.randint(200, 999)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}",
            f"{r.randint(1900, 2099)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}", f"{r.random():.3e}",
            f"0x{r.randint(0, 2**32):X}", f"${r.randint(1, 9999)}.{r.randint(0, 99):02d}", "٣٤٥", "१२३", "五十", "Ⅳ",
        ])

    def script_run(self, name: str, length: int) -> str:
        lo, hi = SCRIPTS[name]
        return "".join(chr(c) for c in (self.rng.randint(lo, hi) for _ in range(length))
                       if unicodedata.category(chr(c)) != "Cn")

    def accented(self) -> str:
        r = self.rng
        w = r.choice(ACCENTED_WORDS)
        x = r.random()
        if x < 0.3:
            w = unicodedata.normalize("NFD", w)
        elif x < 0.45:
            w = w.upper()
        elif x < 0.55:
            w = "".join(c + "".join(chr(r.choice(MARKS)) for _ in range(r.randint(1, 3))) for c in w)
        return w

    def sprinkle(self, text: str, pool: list[int], rate: float) -> str:
        r = self.rng
        out = []
        for c in text:
            if r.random() < rate:
                out.append(chr(r.choice(pool)))
            out.append(c)
        return "".join(out)

    # -- line kinds --------------------------------------------------------------------------
    def english(self) -> str:
        return self.sentence()

    def european(self) -> str:
        r = self.rng
        return " ".join(self.accented() if r.random() < 0.6 else self.word() for _ in range(r.randint(2, 14)))

    def cjk(self) -> str:
        r = self.rng
        parts = []
        for _ in range(r.randint(1, 6)):
            name = r.choice(["cjk", "cjk", "cjk_a", "cjk_b", "cjk_compat", "cjk_compat_sup", "hangul", "hiragana",
                             "katakana", "fullwidth", "jamo"])
            parts.append(self.script_run(name, r.randint(1, 12)))
            if r.random() < 0.5:
                parts.append(r.choice(["、", "。", "「", "」", "！", "?", self.word(), self.number(), "　"]))
        return r.choice(["", " "]).join(parts)

    def emoji(self) -> str:
        r = self.rng
        return " ".join(r.choice(EMOJI) * r.randint(1, 2) if r.random() < 0.5 else self.word() + r.choice(["", r.choice(EMOJI)])
                        for _ in range(r.randint(1, 10)))

    def controls(self) -> str:
        r = self.rng
        text = self.sentence() if r.random() < 0.6 else self.european()
        text = self.sprinkle(text, CONTROLS, r.uniform(0.02, 0.2))
        return self.sprinkle(text, SPACES, r.uniform(0.0, 0.1))

    def long_words(self) -> str:
        r = self.rng
        length = r.choice([99, 100, 101, r.randint(80, 320)])
        alphabet = r.choice(["abcdefghij", "é", "e\u0301", "xyz0123", "ÄäÖöÜü", "аб", "ab-", "ﬁ", "İ", "한"])
        long_word = "".join(r.choice(alphabet) for _ in range(length))
        return r.choice(["", self.word() + " "]) + long_word + r.choice(["", " " + self.sentence(3)])

    def technical(self) -> str:
        r = self.rng
        w = lambda: r.choice(self.words)
        return r.choice([
            f"https://www.{w()}.{r.choice(TLDS)}/{w()}/{w()}?q={w()}&id={r.randint(0, 99999)}#{w()}",
            f"{w()}.{w()}@{w()}.{r.choice(TLDS)}", f"def {w()}_{w()}(x): return x ** {r.randint(2, 9)}",
            f"C:\\Users\\{w()}\\{w().upper()}.txt", f"@{w()} #{w()}{w().capitalize()} {self.sentence(4)}",
            f"<{w()} class=\"{w()}\">{self.sentence(3)}</{w()}>", f"{self.number()} {self.number()} {self.number()}",
            f"v{r.randint(0, 9)}.{r.randint(0, 20)}.{r.randint(0, 99)}-rc{r.randint(1, 5)}", f"{w()}_{w()}={w()}::{w()}",
        ])

    def mixed_scripts(self) -> str:
        r = self.rng
        parts = []
        for _ in range(r.randint(2, 10)):
            x = r.random()
            if x < 0.5:
                parts.append(self.script_run(r.choice(list(SCRIPTS)), r.randint(1, 10)))
            elif x < 0.7:
                parts.append("".join(r.choice(SPECIAL_CASES) for _ in range(r.randint(1, 4))))
            else:
                parts.append(self.word())
        return r.choice([" ", "", "-"]).join(parts)

    def punctuation(self) -> str:
        r = self.rng
        return "".join(r.choice(PUNCT) * r.randint(1, 4) + (self.word() if r.random() < 0.5 else "")
                       for _ in range(r.randint(2, 12)))

    def specials(self) -> str:
        r = self.rng
        parts = []
        for _ in range(r.randint(2, 10)):
            tok = r.choice(SPECIAL_TOKENS)
            x = r.random()
            if x < 0.1:
                tok = tok.lower()
            elif x < 0.2:
                i = r.randint(1, len(tok) - 1)
                tok = tok[:i] + chr(r.choice([0x200B, 0x00, 0x01, 0xAD, 0x7F])) + tok[i:]
            elif x < 0.3:
                tok = "[" + tok + "]"
            elif x < 0.35:
                tok = tok[:-1]
            parts.append(tok if r.random() < 0.5 else self.word() + tok + r.choice(["", self.word()]))
            if r.random() < 0.5:
                parts.append(self.sentence(r.randint(1, 4)))
        return r.choice([" ", "", "  "]).join(parts)

    def random_code_points(self) -> str:
        r = self.rng
        chars = []
        for _ in range(r.randint(3, 40)):
            x = r.random()
            if x < 0.85:
                chars.append(chr(r.choice(self.assigned)))
            elif x < 0.95:
                chars.append(" ")
            else:
                chars.append(chr(r.choice(CONTROLS)))
        return "".join(chars)

    def edge(self) -> str:
        return self.rng.choice(["", " ", "\n", "\t \u3000", "\u200b", "[MASK]", "[CLS] [SEP]", "a", "A", "##", "##a",
                                "\u0301", "e\u0301", "Σ", "ΑΣ", "İ", "ǅ", "\ufffd", "\x00", "...", "x" * 100, "x" * 101])

    KINDS = [("english", 1500), ("european", 1000), ("cjk", 800), ("emoji", 600), ("controls", 800),
             ("long_words", 500), ("technical", 800), ("mixed_scripts", 1000), ("punctuation", 500),
             ("specials", 600), ("random_code_points", 800), ("edge", 100)]

    def line(self, kind: str) -> str:
        return getattr(self, kind)()

    def any_line(self) -> str:
        kinds, weights = zip(*self.KINDS)
        return self.line(self.rng.choices(kinds, weights)[0])

    def entries(self, pairs: int = 1600) -> list[dict]:
        r = self.rng
        out = []
        for kind, count in self.KINDS:
            for _ in range(count):
                entry = {"text": self.line(kind)}
                if r.random() < 0.15:
                    entry["truncation"] = r.choice(["longest_first", "only_first", "only_second"])
                    entry["max_length"] = r.randint(1, 40)
                out.append(entry)
        for _ in range(pairs):
            entry = {"text": self.any_line(), "pair": self.any_line()}
            if r.random() < 0.85:
                entry["truncation"] = r.choice(["longest_first", "longest_first", "only_first", "only_second"])
                entry["max_length"] = r.choice([r.randint(1, 8), r.randint(8, 48), r.randint(48, 128)])
                if r.random() < 0.3:
                    entry["padding"] = "max_length"
            out.append(entry)
        return out
