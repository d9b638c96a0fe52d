"""The characters the bundled Noto Serif CJK subset covers, one U+XXXX per line.

Chinese: all of GB 2312 (6,763 hanzi: Simplified Chinese) and Big5 level 1
(5,401 常用字: Traditional Chinese), plus written-Cantonese characters from
HKSCS that Big5 lacks; Japanese: JIS X 0208 level 1 (2,965 kanji) and the
kana; Korean: KS X 1001 (2,350 hangul syllables and 4,888 hanja); CJK
punctuation, bopomofo, full-width and compatibility forms. The character sets
come from Python's own codecs, so the list can be made again anywhere.
"""


def double_byte(codec, first_lead, last_lead, first_trail, last_trail, until=None):
    chars = set()
    for lead in range(first_lead, last_lead + 1):
        for trail in range(first_trail, last_trail + 1):
            if until and (lead, trail) > until:
                continue
            try:
                chars.update(ord(c) for c in bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


chars = set()
chars |= double_byte("gb2312", 0xA1, 0xF7, 0xA1, 0xFE)
chars |= double_byte("big5", 0xA1, 0xC6, 0x40, 0xFE, until=(0xC6, 0x7E))  # symbols and level 1
chars |= double_byte("euc_jp", 0xA1, 0xCF, 0xA1, 0xFE, until=(0xCF, 0xD3))  # non-kanji rows and level 1
chars |= double_byte("euc_kr", 0xA1, 0xFE, 0xA1, 0xFE)
chars |= {ord(c) for c in "嘅咗喺冇嘢啲嚟佢哋睇咁噉乜嗰呢啱諗瞓攰搵揾畀俾嘥餸唔係咩囉喎嘞啩噃嚿嘈"}
for first, last in [
    (0x0020, 0x007E),  # ASCII, so that mixed runs keep one face
    (0x00A0, 0x00FF),
    (0x2000, 0x206F),  # general punctuation
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31A0, 0x31BF),
    (0x31F0, 0x31FF),
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
]:
    chars |= set(range(first, last + 1))

print("\n".join(f"U+{c:04X}" for c in sorted(chars)))
