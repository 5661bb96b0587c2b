"""Sentence segmentation: each tricky case of the seeds, with exact sentence texts."""

from __future__ import annotations

import textwrap

import pytest

from reader.core.text.load import load_paths
from reader.core.text.segment import MAX_SENTENCE, is_hard_wrapped, split_sentences


def split(text: str) -> list[str]:
    spans = split_sentences(text)
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip(), f"surrounding white space in {piece!r}"
    return [text[s:e] for s, e in spans]


CASES = {
    # --- abbreviations and titles ----------------------------------------------------
    "mr-mrs-dr": (
        "Mr. Biden spoke with Mrs. Harris on Thursday. Dr. Fauci joined the call later.",
        ["Mr. Biden spoke with Mrs. Harris on Thursday.", "Dr. Fauci joined the call later."],
    ),
    "mr-without-dot": (
        "The call was requested by Mr Putin. For his part, Mr Biden repeated his threat.",
        ["The call was requested by Mr Putin.", "For his part, Mr Biden repeated his threat."],
    ),
    "us-lowercase-continuation": (
        "A senior U.S. administration official said the talks were serious. Moscow disagreed.",
        ["A senior U.S. administration official said the talks were serious.", "Moscow disagreed."],
    ),
    "us-then-sentence-opener": (
        "Russia massed troops near the border with the U.S. The Kremlin denied any plan to attack.",
        [
            "Russia massed troops near the border with the U.S.",
            "The Kremlin denied any plan to attack.",
        ],
    ),
    "us-then-he": (
        "Putin wants guarantees from the U.S. He said so on Thursday.",
        ["Putin wants guarantees from the U.S.", "He said so on Thursday."],
    ),
    "us-then-capitalised-noun": (
        # documented rule: after a dotted acronym only a typical opener starts a sentence
        "The U.S. Embassy in Kyiv stayed open. Staff were told to be careful.",
        ["The U.S. Embassy in Kyiv stayed open.", "Staff were told to be careful."],
    ),
    "jan": (
        "The talks are set for Jan. 10 in Geneva. A NATO session follows two days later.",
        ["The talks are set for Jan. 10 in Geneva.", "A NATO session follows two days later."],
    ),
    "sir-ushakov": (
        "Sir. Ushakov said Mr Putin “immediately responded” to the threat. He added more.",
        ["Sir. Ushakov said Mr Putin “immediately responded” to the threat.", "He added more."],
    ),
    "initials": (
        "The report was written by J. Smith and K. L. Jones. It was published on Friday.",
        ["The report was written by J. Smith and K. L. Jones.", "It was published on Friday."],
    ),
    # --- numbers and dates ------------------------------------------------------------
    "9-10-january": (
        "A security meeting between the United States and Russia on 9-10. January, followed "
        "by a Russia-NATO session. Talks went on.",
        [
            "A security meeting between the United States and Russia on 9-10. January, followed "
            "by a Russia-NATO session.",
            "Talks went on.",
        ],
    ),
    "13-januar": (
        "Die Gespräche beginnen am 13. Januar in Wien. Russland fordert Garantien.",
        ["Die Gespräche beginnen am 13. Januar in Wien.", "Russland fordert Garantien."],
    ),
    "year-ends-sentence": (
        "Moscow annexed Crimea in 2014. The West imposed sanctions.",
        ["Moscow annexed Crimea in 2014.", "The West imposed sanctions."],
    ),
    "list-numbers": (
        "Demands:\n1. No NATO expansion\n2. No offensive weapons in Ukraine\n3. Written guarantees",
        [
            "Demands:",
            "1. No NATO expansion",
            "2. No offensive weapons in Ukraine",
            "3. Written guarantees",
        ],
    ),
    # --- quotes -----------------------------------------------------------------------
    "quote-then-said": (
        "“Progress can only occur in an environment of calm and not escalation,” said Jen Psaki. "
        "She added more details.",
        [
            "“Progress can only occur in an environment of calm and not escalation,” said Jen Psaki.",
            "She added more details.",
        ],
    ),
    "quoted-word-before-period": (
        "The tone was described by officials on both sides as “serious”. Next came the details.",
        [
            "The tone was described by officials on both sides as “serious”.",
            "Next came the details.",
        ],
    ),
    "period-inside-quote-she-said": (
        "“This is not a new promise.” she said. The White House agreed.",
        ["“This is not a new promise.” she said.", "The White House agreed."],
    ),
    "period-inside-quote-new-sentence": (
        "He added: “It would be a mistake.” The Kremlin confirmed the call.",
        ["He added: “It would be a mistake.”", "The Kremlin confirmed the call."],
    ),
    "straight-quotes": (
        '"Biden outlined two paths," a senior official said. "One is diplomatic." Both ended.',
        [
            '"Biden outlined two paths," a senior official said.',
            '"One is diplomatic."',
            "Both ended.",
        ],
    ),
    # --- ? ! and ellipses ---------------------------------------------------------------
    "question-exclamation-lowercase": (
        "“Will there be war?” asked the reporter. “No!” shouted the minister. Silence followed.",
        [
            "“Will there be war?” asked the reporter.",
            "“No!” shouted the minister.",
            "Silence followed.",
        ],
    ),
    "question-then-capital": (
        "Is there another lying guy? This is probably what will prevent him from running.",
        ["Is there another lying guy?", "This is probably what will prevent him from running."],
    ),
    "ellipsis": (
        "The road would remain open... The White House said nothing. It waited… Then it spoke.",
        [
            "The road would remain open...",
            "The White House said nothing.",
            "It waited…",
            "Then it spoke.",
        ],
    ),
    "ellipsis-lowercase": (
        "The talks were… difficult, he said. Nothing more.",
        ["The talks were… difficult, he said.", "Nothing more."],
    ),
    # --- lines: headlines, bylines, bullets ------------------------------------------------
    "headline-byline": (
        "Biden and Putin have talked about Ukraine\n\nby time news\n\n"
        "US President Joe Biden spoke with Putin. The call lasted 50 minutes.\n",
        [
            "Biden and Putin have talked about Ukraine",
            "by time news",
            "US President Joe Biden spoke with Putin.",
            "The call lasted 50 minutes.",
        ],
    ),
    "line-break-without-blank-line": (
        "Vladimir Putin talks to Joe Biden via a video link\nThe phone call comes amid tensions",
        [
            "Vladimir Putin talks to Joe Biden via a video link",
            "The phone call comes amid tensions",
        ],
    ),
    "bullets": (
        "  • Is there another “lying guy”? This is probably what will stop him\n"
        "- Moscow denies any plan\n* NATO responds\n",
        [
            "• Is there another “lying guy”?",
            "This is probably what will stop him",
            "- Moscow denies any plan",
            "* NATO responds",
        ],
    ),
    # --- Portuguese and accented capitals ---------------------------------------------------
    "portuguese": (
        "O Sr. Silva e a Sra. Costa chegaram a Brasília. É a segunda visita do ano. "
        "Ótimo, disse o ministro.",
        [
            "O Sr. Silva e a Sra. Costa chegaram a Brasília.",
            "É a segunda visita do ano.",
            "Ótimo, disse o ministro.",
        ],
    ),
    "portuguese-quotes": (
        "Putin disse que seria um «erro fatal». Úrsula respondeu em seguida.",
        ["Putin disse que seria um «erro fatal».", "Úrsula respondeu em seguida."],
    ),
}


@pytest.mark.parametrize("text,expected", list(CASES.values()), ids=list(CASES))
def test_tricky_case(text: str, expected: list[str]) -> None:
    assert split(text) == expected


# Common English words that are also in the abbreviation lists (Portuguese month and
# rank abbreviations, "no." for number...). Before a capitalised word they must still
# end the sentence: "two years ago. The war..." is everyday news prose.
ORDINARY_WORDS = {
    "ago": (
        "The crisis began eight years ago. The West imposed sanctions.",
        ["The crisis began eight years ago.", "The West imposed sanctions."],
    ),
    "no": (
        "Asked about a deal, Peskov said no. The talks ended there.",
        ["Asked about a deal, Peskov said no.", "The talks ended there."],
    ),
    "out": (
        "The delegation walked out. Russia blamed Washington.",
        ["The delegation walked out.", "Russia blamed Washington."],
    ),
    "set": (
        "The stage is set. Talks begin in Geneva on Monday.",
        ["The stage is set.", "Talks begin in Geneva on Monday."],
    ),
    "ten": (
        "The call ended at ten. Both sides issued statements.",
        ["The call ended at ten.", "Both sides issued statements."],
    ),
}


@pytest.mark.parametrize("text,expected", list(ORDINARY_WORDS.values()), ids=list(ORDINARY_WORDS))
def test_ordinary_word_in_abbreviation_list_ends_sentence(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_offsets_are_exact() -> None:
    text = "  Mr. Biden spoke.   “Serious,” said Psaki.\n\n\t• Next item  \n"
    spans = split_sentences(text)
    assert spans == [(2, 18), (21, 43), (46, 57)]
    assert [text[s:e] for s, e in spans] == [
        "Mr. Biden spoke.",
        "“Serious,” said Psaki.",
        "• Next item",
    ]


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t \n") == []


def test_text_without_terminator() -> None:
    assert split("Biden talks with Putin (Photo: Reuters)") == [
        "Biden talks with Putin (Photo: Reuters)"
    ]


def test_bom_at_start_is_not_part_of_the_sentence() -> None:
    text = "\ufeffBiden spoke with Putin. The call lasted 50 minutes."
    spans = split_sentences(text)
    assert spans == [(1, 24), (25, len(text))]
    assert text[spans[0][0] : spans[0][1]] == "Biden spoke with Putin."


def test_hard_wrapped_prose_splits_on_sentences_not_lines() -> None:
    p1 = (
        "US President Joe Biden and Russian President Vladimir Putin talked for about fifty "
        "minutes on Thursday about the tensions between Russia and Ukraine. It was Putin who "
        "asked for the call, the second one the two leaders have held in a month. Officials on "
        "both sides described the tone of the conversation as serious."
    )
    p2 = (
        "Biden said he wanted to see Russia reduce its military build-up on the Ukrainian "
        "border. He repeated a threat of unprecedented sanctions if Russia invaded Ukraine. "
        "Putin answered that such sanctions could lead to a collapse of relations."
    )
    text = textwrap.fill(p1, 72) + "\n\n" + textwrap.fill(p2, 72) + "\n"
    assert is_hard_wrapped(text)
    got = split(text)
    assert [" ".join(s.split()) for s in got] == [
        "US President Joe Biden and Russian President Vladimir Putin talked for about fifty "
        "minutes on Thursday about the tensions between Russia and Ukraine.",
        "It was Putin who asked for the call, the second one the two leaders have held in a month.",
        "Officials on both sides described the tone of the conversation as serious.",
        "Biden said he wanted to see Russia reduce its military build-up on the Ukrainian border.",
        "He repeated a threat of unprecedented sanctions if Russia invaded Ukraine.",
        "Putin answered that such sanctions could lead to a collapse of relations.",
    ]
    # the sentences keep the original line breaks: offsets never rewrite the text
    assert "\n" in got[0]


ONE_PARAGRAPH_PER_LINE = """Biden warns Putin of sanctions over Ukraine
US President Joe Biden and Russian President Vladimir Putin spoke for 50 minutes on Thursday.
The call was requested by Putin, the Kremlin said in a short statement.
Biden urged Russia to reduce its military build-up near the Ukrainian border.
Putin warned that new sanctions could lead to a collapse of relations.
Kremlin aide Yuri Ushakov said the call provided a good basis for talks.
The talks in Geneva are scheduled for January 10, officials said.
A Russia-NATO meeting will follow two days later in Brussels.
Read more
Ukraine says Russia has massed 100,000 troops near its border.
"""


def test_one_paragraph_per_line_is_not_hard_wrapped() -> None:
    got = split(ONE_PARAGRAPH_PER_LINE)
    assert got == ONE_PARAGRAPH_PER_LINE.strip().split("\n")


def test_short_lines_are_not_hard_wrapped() -> None:
    text = "Headline one\nBy a reporter\nFirst line\nSecond line\n"
    assert not is_hard_wrapped(text)
    assert split(text) == ["Headline one", "By a reporter", "First line", "Second line"]


def test_very_long_sentence_is_cut_at_max_sentence() -> None:
    words = " ".join(f"word{i}" for i in range(2000))  # ~15k characters, no terminator
    spans = split_sentences(words)
    assert len(spans) > 1
    assert all(e - s <= MAX_SENTENCE for s, e in spans)
    # cut at spaces: the pieces joined with single spaces give back the text
    assert " ".join(words[s:e] for s, e in spans) == words
    assert all(s < e for s, e in spans) and all(
        spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1)
    )


def test_very_long_word_is_cut_hard() -> None:
    blob = "x" * (MAX_SENTENCE * 2 + 10)
    spans = split_sentences(blob)
    assert spans == [
        (0, MAX_SENTENCE),
        (MAX_SENTENCE, 2 * MAX_SENTENCE),
        (2 * MAX_SENTENCE, len(blob)),
    ]


def test_crlf_file_via_loader(tmp_path) -> None:
    raw = "Biden and Putin talk\r\n\r\nMr. Biden spoke. Putin answered.\r\nThe end\r\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    doc = load_paths([tmp_path / "a.txt"]).documents[0]
    assert doc.text == (tmp_path / "a.txt").read_text(encoding="utf-8")
    assert "\r" not in doc.text
    assert split(doc.text) == [
        "Biden and Putin talk",
        "Mr. Biden spoke.",
        "Putin answered.",
        "The end",
    ]


def test_bom_file_via_loader(tmp_path) -> None:
    (tmp_path / "a.txt").write_bytes("\ufeffHeadline\n\nFirst sentence. Second.".encode("utf-8"))
    doc = load_paths([tmp_path / "a.txt"]).documents[0]
    assert doc.text[0] == "\ufeff"
    spans = split_sentences(doc.text)
    assert spans[0] == (1, 9)
    assert [doc.text[s:e] for s, e in spans] == ["Headline", "First sentence.", "Second."]


def test_sample_data_tricky_sentences(sample_dir) -> None:
    """The seeds' own tricky places come out as whole sentences."""
    text = next(sample_dir.glob("003_*.txt")).read_text(encoding="utf-8")
    got = split(text)
    assert any(
        s.startswith("The exchange of leaders set the stage") and "9-10. January" in s for s in got
    )
    assert any(s.startswith("Sir. Ushakov said Mr Putin") for s in got)
    assert "The call was requested by Mr Putin." in got
    text0 = next(sample_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    got0 = split(text0)
    assert "by time news" in got0
    assert (
        "“Biden has opened two courses of action,” a senior U.S. administration official said."
    ) in got0
