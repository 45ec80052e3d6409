"""Rubric grading and reward-model prompts: the model used as a judge to score
other answers, the data an RL pipeline needs."""

import re
import unicodedata
from typing import ClassVar

from gateway.signals.concepts import ConceptRule, spelling
from gateway.signals.lexicon import LEXICON
from gateway.signals.patterns import Form, PatternSignal, Rule
from gateway.signals.verdict import bare_verdict

# "1 to 10", "0-5": a digit right after " to " or "-".
RANGES = tuple(f"{joint}{digit}" for joint in (" to ", "-") for digit in "0123456789")

# "Score it on a scale of 1 to 10", "rate each from 0-5": a grading verb at most 60
# characters before a range. Not "rating": an MT-Bench writing task asks for "a rating
# ... on a scale of 1 to 10". Searched from the range back: each range pattern starts
# with a literal, while a search from the verb stopped at the "rate" of every
# "generate" (17 µs on 2 KB).
# Each with the literal its search needs (a pattern run costs about 1 µs on 2 KB).
ASKED_RANGES = (("from ", re.compile(r"from \d+(?: to | ?- ?)\d+\b")),
                ("on a scale", re.compile(r"on a scale (?:of|from) \d+(?: to | ?- ?)\d+\b")))
VERB = re.compile(r"\b(?:score|rate|grade)\b")
VERB_REACH = 60


def asked_range(text: str) -> str | None:
    for literal, pattern in ASKED_RANGES:
        if literal not in text:
            continue
        for match in pattern.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            # \b at the window's start still sees the character before it.
            verb = VERB.search(text, max(0, start - VERB_REACH - 5), start)
            while verb is not None and verb.end() < start - VERB_REACH:
                verb = VERB.search(text, verb.start() + 1, start)
            if verb is not None:
                return f"asks a score {match.group(0)!r} after {verb.group(0)!r}"
    return None


# The layout of a grading prompt, whatever its language: a score range ("1 to 10",
# "1 sampai 10", "1〜10", "out of 10") over a question and the answer to grade, each
# under its own label ("Question:", "Jawaban:", "[Assistant answer]"), or a score
# placeholder in double brackets (MT-Bench's judge format: "[[rating]]"); or two
# answers side by side under labels that differ only in A and B ("Response A:",
# "Antwort B:", "回答A:", "[The Start of Assistant A's Answer]"), at least one long.
WORD = r"[^\s\d!-/:-@\[-`{-~]"  # a letter of any script: no digit, space or ASCII punctuation
# After the low end of the scale: the joint and the high end.
# The low end may carry a case ending, as may the high one: "1-dän 10-dan", "1:stä 10:een",
# "1'den 10'a".
SCALE_END = (r"(?: ?[-~–—〜～] ?| " + WORD + r"{1,12} |[^\x00-\x7f\s\d]{1,6}|[-:'’]" + WORD + r"{1,5} )"
             r"(?:100|20|10|3|4|5|7|9)(?![\d%/])(?![.,]\d)")
# The low end may carry its Likert anchor: "from 1 (useless) to 5 (excellent)".
ANCHOR = r"(?: ?\([^()\n]{1,30}\))?"
# One pattern per low end and "out of" apart: a literal first character lets `re` skip
# ahead to it (a class or an alternative there makes the search 4x slower).
SCALES = (("1", re.compile("1" + ANCHOR + SCALE_END)), ("0", re.compile("0" + ANCHOR + SCALE_END)),
          ("out of", re.compile(r"out of (?:5|10|20|100)\b")))
# A label may be a Markdown heading, and its letter bracketed: "# Output (a):" (AlpacaEval's
# judge layout); an XML tag opening a line ("<response_a>", Anthropic's prompt style); in
# bold, with or without a colon ("**Response A**"); or alone and unindented on its line
# after a blank one, ending in the letter of its side ("Response A", "Ответ Б"; not a
# sentence that a line break cut after "and a"); a YAML key ("response_a: |"); or an HTML
# heading or bold run opening its line ("<h3>Response A</h3>").
_WORDS = WORD + r"+(?:['’ ]" + WORD + r"+){0,4}(?: ?\(" + WORD + r"\))?"
LABEL = re.compile(
    r"(?m)^[ \t]{0,3}(?:#{1,6} )?(?:\[(" + WORD + r"+(?:['’ ]" + WORD + r"+){0,7})\]"
    r"|(" + _WORDS + r") ?[:：]"
    r"|<(" + WORD + r"+(?:[_ -]" + WORD + r"+){0,4})>"
    r"|\*\*(" + _WORDS + r") ?[:：]?\*\*"
    r"|(?<![ \t])(?<![^\n]\n)(" + WORD + r"+(?: " + WORD + r"+){0,3} " + WORD + r")[ \t]*$"
    r"|(" + WORD + r"+(?:_" + WORD + r"+){1,3}):"
    r"|<(?:h[1-6]|b|strong)>(" + _WORDS + r") ?[:：]?</(?:h[1-6]|b|strong)>)")
ANSWER_CHARS = 80
# A label's B side ("antwort b:", "回答b：", "assistant b's answer]"): one search, as a
# regex with a literal first character (six substring tests cost 11 µs on wide text).
# The lookahead names every alternative's first character, so most "b"s fail at once: 9
# µs on 16 KB of wide text, against 22 µs without it.
SIDE_B = re.compile(r"b(?=[)\]:：'’>*\s<]|\Z)(?:\)? ?[:：\]]|['’]s|(?<=_b)>|\)?:?\*\*|(?<= b)[ \t]*$"
                    r"|(?<= b):?</)", re.MULTILINE)
# The E side of a Polynesian pair ("e:" alone ends "Note:" and "Title:"). A regex: four
# substring tests cost 8 µs on 2 KB of wide text, this 1.5 µs.
SIDE_E = re.compile(r" e ?[:：\]]")
# Answers lettered with the first two letters of another alphabet ("Ответ А/Б",
# "Απάντηση Α/Β", "Պատասխան Ա/Բ", "პასუხი ა/ბ", "תשובה א/ב", "الإجابة أ/ب", "उत्तर क/ख",
# "উত্তর ক/খ", "பதில் அ/ஆ", "คำตอบ ก/ข", "답변 가/나", "回答甲/乙"): the same layout, in
# any language that letters its options so, whether or not its words are listed. And
# "Tali A/E": the Polynesian alphabets (Samoan, Tongan, Maori, Hawaiian) begin A, E. Pairs
# are tried in order, so options A to E pair as A/B.
LETTER_PAIRS = (("a", "b"), ("a", "e"), ("а", "б"), ("α", "β"), ("ա", "բ"), ("ა", "ბ"), ("א", "ב"),
                ("أ", "ب"), ("ا", "ب"), ("الف", "ب"), ("क", "ख"), ("ক", "খ"), ("அ", "ஆ"), ("ก", "ข"),
                ("가", "나"), ("甲", "乙"))
LETTERS = frozenset(letter for pair in LETTER_PAIRS for letter in pair)
# Written onto the word, with no space: "回答b", "回答乙".
SUFFIX_LETTERS = "ab甲乙"
# Other alphabets and syllabaries letter their options too ("መልስ ሀ/ለ", "અ/બ", "က/ခ"),
# in orders no table here keeps: in a script the table does not name, any two letters
# that end two labels otherwise alike are the pair layout. Not Latin letters (X and Y,
# C and D name variables, companies and parties as often as options), nor Chinese
# characters ("一" and "二" number the questions of a worksheet).
# A single letter of another script ending a label (after a space), or "乙" written onto
# it: searched only in text that is not ASCII, from the label's colon and looking back (a
# search that starts with a space or a negated class tries every position: 40 µs on 2 KB
# of English with a curly quote, against 6 µs).
_OTHER = "[\u0370-\u1fff\u2e80-\ud7ff\uf900-\uffef]"
OTHER_SIDE = re.compile(r"[:：\]\n](?:(?<=\s" + _OTHER + r"[\s\S])|(?<=\s" + _OTHER + r" [\s\S])|(?<=乙[\s\S])"
                        r"|(?<=乙 [\s\S]))")


def _script_of(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ", 1)[0] if letter.isalpha() else ""


# The scripts the table names, where its pairs decide ("Ответ А/Г" is no pair).
TABLE_SCRIPTS = frozenset(_script_of(first) for first, _ in LETTER_PAIRS if len(first) == 1)


def _script(letter: str) -> str | None:
    """The script of a letter that may tag an option outside the table ("ETHIOPIC",
    "MYANMAR"), or None."""
    if letter.isascii():
        return None
    script = _script_of(letter)
    return None if script in TABLE_SCRIPTS or script in ("CJK", "") else script


# Not an identifier or a call: "[[stage_in]]", "[[buffer(0)]]" are Metal attributes
# in code, as "[[nodiscard]]" is C++'s (found inside a fenced block, it is skipped).
PLACEHOLDER = re.compile(r"\[\[[^\[\]\n|()_]{1,20}\]\]")


def placeholder_at(text: str) -> re.Match[str] | None:
    """A judge's score placeholder outside fenced code."""
    for match in PLACEHOLDER.finditer(text):
        if text.count("```", 0, match.start()) % 2 == 0:
            return match
    return None


# Another exchange quoted inline rather than under labels ('A user asked: "..." and the
# assistant replied: "..."'): a quotation longer than a line, in any script's quotes.
QUOTED = re.compile("|".join(f"{left}[^{right}]{{{ANSWER_CHARS},}}[{right}]"
                             for left, right in (('"', '"'), ("“", "”"), ("«", "»"), ("„", "“”"),
                                                 ("「", "」"), ("『", "』"))))


def scale_at(text: str) -> re.Match[str] | None:
    """A score range not inside a longer number or name ("2010 to 2020", "v1-5"), nor a
    regex class ("[0-9]")."""
    for literal, scale in SCALES:
        if literal not in text:
            continue
        match = scale.search(text)
        while match is not None:
            start = match.start()
            if start == 0 or not ((text[start - 1].isascii() and text[start - 1].isalnum())
                                  or text[start - 1] in "/.,[-_"):
                return match
            match = scale.search(text, start + 1)
    return None


def _side(label: str) -> tuple[str, str] | None:
    """'response a' -> ('response _', 'a'); '回答b' -> ('回答_', 'b'); 'ответ б' ->
    ('ответ _', 'б'); 'መልስ ለ' -> ('መልስ _', 'ለ'); otherwise None."""
    words = re.split(r"(['’ ])", label)
    for i, word in enumerate(words):
        if len(words) > 1 and (word in LETTERS or (i == len(words) - 1 and len(word) == 1
                                                   and _script(word) is not None)):
            return "".join(words[:i]) + "_" + "".join(words[i + 1:]), word
        if len(word) > 1 and word[-1] in SUFFIX_LETTERS and not word[-2].isascii():
            return "".join(words[:i]) + word[:-1] + "_" + "".join(words[i + 1:]), word[-1]
    return None


def _sections(text: str) -> tuple[set[str], bool]:
    """The labels at line starts, and whether a section holds more than a line."""
    found = list(LABEL.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)] if found else []
    long = any(end - m.end() >= ANSWER_CHARS for m, end in zip(found, ends, strict=True))
    return {_label(m) for m in found}, long


_LABEL_MARKS = str.maketrans({"(": None, ")": None, "_": " ", "-": " "})


def _label(match: re.Match[str]) -> str:
    """The label's words, whichever form it took: "output (a)" -> "output a", "<response_a>"
    and "response_a:" -> "response a" (only tags and keys hold "_" or "-", only bracketed
    letters "(" and ")")."""
    return next(group for group in match.groups() if group).translate(_LABEL_MARKS)


def material_starts(text: str) -> list[int]:
    """Where graded material begins: after each label at a line start, and at each long
    quotation."""
    return [m.end() for m in LABEL.finditer(text)] + [q.start() for q in QUOTED.finditer(text)]


def _pairwise(labels: set[str]) -> str | None:
    """The pair of labels that differ only in their letter ("response A/B"), or None."""
    sides: dict[str, set[str]] = {}
    for label in labels:
        if side := _side(label):
            sides.setdefault(side[0], set()).add(side[1])
    for key, seen in sides.items():
        if not key.strip("_ '’"):
            continue
        for first, second in LETTER_PAIRS:
            if first in seen and second in seen:
                return key.replace("_", f"{first}/{second}".upper())
        by_script: dict[str, list[str]] = {}
        for letter in sorted(seen):
            if (script := _script(letter)) is not None:
                by_script.setdefault(script, []).append(letter)
        for letters in by_script.values():
            if len(letters) >= 2:
                return key.replace("_", "/".join(letters[:2]))
    return None


# Two answers numbered 1 and 2 instead of lettered ("Response 1:", "回答その2："): a
# numbered label is also a step or a question, so the label must name an answer.
SIDE_2 = re.compile(r"2(?:\)? ?[:：\]]|(?<=_2)>|\)?:?\*\*)")
NUMBERED = re.compile(r"(?m)^[ \t]{0,3}(?:#{1,6} )?(?:(?:\[|\*\*)?(" + WORD + r"+(?:['’ ]" + WORD
                      + r"+){0,3}) ?(?:#|no\. ?)?\(?([12])\)? ?(?:[:：\]]|:?\*\*)"
                      r"|<(" + WORD + r"+(?:_" + WORD + r"+){0,3})_([12])>)")
# Not "model": "Model 1:" and "Model 2:" compare cars and phones as often as chatbots.
# The answer words of every language the lexicon lists ("Atsakymas 1:", "Odgovor 2:").
ANSWERS = ("answer", "response", "reply", "output", "completion", "assistant",
           *(spelling(word)[0] for word in LEXICON["answer"]))


def names_answer(label: str) -> bool:
    return any(word in label for word in ANSWERS)


def pair_form(pair: str, named: bool, lettered: bool = True) -> Form | None:
    """Two texts side by side: answers compared are a judge's (strong); other things
    lettered A and B are what honest people weigh every day ("Option A", "Subject line B",
    "Aufsatz A": weak); numbered ones that name no answer are steps or questions (none)."""
    if named:
        return f"two answers side by side under {pair!r}", True
    if lettered:
        return f"two texts side by side under {pair!r}", False
    return None


def _numbered_pair(text: str) -> Form | None:
    at: dict[str, dict[str, int]] = {}
    for match in NUMBERED.finditer(text):
        stem = match.group(1) or match.group(3).replace("_", " ")
        at.setdefault(stem, {}).setdefault(match.group(2) or match.group(4), match.end())
    for stem, sides in at.items():
        # One of the answers holds more than a line: from its label to the next, or on.
        long = len(sides) == 2 and (sides["2"] - sides["1"] >= ANSWER_CHARS
                                    or len(text) - sides["2"] >= ANSWER_CHARS)
        if long and (form := pair_form(f"{stem} 1/2", names_answer(stem), lettered=False)):
            return form
    return None


# Answers given as JSON fields, lettered or numbered ('"response_a": "...", "response_b":'):
# a pipeline's own format of the pair layout. Gated on the B side's key.
JSON_SIDE = re.compile(r'_[b2]"\s*:')
JSON_KEY = re.compile(r'"(' + WORD + r"+(?:_" + WORD + r'+){0,3})_([ab12])"\s*:')


def _json_pair(text: str) -> Form | None:
    sides: dict[str, set[str]] = {}
    for match in JSON_KEY.finditer(text):
        sides.setdefault(match.group(1), set()).add(match.group(2))
    for stem, seen in sides.items():
        lettered = {"a", "b"} <= seen
        if not lettered and not {"1", "2"} <= seen:
            continue
        words = stem.replace("_", " ")
        if form := pair_form(words + (" A/B" if lettered else " 1/2"), names_answer(words), lettered):
            return form
    return None


# Answers in a Markdown table, one row per letter or number ("| A | ... |"): a pair when
# the table's header names an answer ("| Candidate | Reply |"). Gated on the B side's row.
TABLE_SIDE = re.compile(r"(?m)^\|\s*[b2]\s*\|")
TABLE_ROW = re.compile(r"(?m)^\|\s*([ab12])\s*\|")


def _table_pair(text: str) -> Form | None:
    rows = list(TABLE_ROW.finditer(text))
    sides = {match.group(1) for match in rows}
    lettered = {"a", "b"} <= sides
    if not lettered and not {"1", "2"} <= sides:
        return None
    # The header: the first of the table's lines above its first lettered row.
    lines = text[:rows[0].start()].split("\n")[:-1]
    header = ""
    for line in reversed(lines):
        if not line.startswith("|"):
            break
        header = line
    return pair_form("table rows " + ("A/B" if lettered else "1/2"), names_answer(header), lettered)


def _scored(text: str, layout: str) -> Form:
    """One text scored is weak evidence, unless only the score is wanted back ("Numbers
    only", "Reply only with JSON"): a pipeline's label. A teacher, a hiring panel or a
    support lead wants the reason with the mark. Not two texts compared: a team A/B
    testing subject lines asks for "A or B only" as a judge does."""
    if verdict := bare_verdict(text):
        return f"{layout}, a bare score asked: {verdict!r}", True
    return layout, False


def grading_form(text: str) -> Form | None:
    """A judge's layout: (evidence, strong). One answer scored under labels is weak: a
    teacher grading a pupil and a support lead rating an agent lay it out the same way,
    in languages no excuse lists (holdout-17's Czech teachers were refused on it). A
    judge's own format ("[[rating]]") and two answers compared are strong."""
    scale = scale_at(text)
    if scale is not None and (placeholder := placeholder_at(text)):
        return f"score {scale.group(0)!r} into {placeholder.group(0)!r}", True
    # Labels are read (20 µs on 2 KB) only when a scale or a B-side label may be there.
    if (scale is not None or SIDE_B.search(text) or SIDE_E.search(text)
            or (not text.isascii() and OTHER_SIDE.search(text))):
        labels, long = _sections(text)
        # One section holds the answer to grade: more than a line of text.
        if long and len(labels) >= 2:
            if pair := _pairwise(labels):
                return pair_form(pair, names_answer(pair))
            if scale is not None:
                return _scored(text, f"score {scale.group(0)!r} over {', '.join(sorted(labels)[:3])}")
        elif scale is not None and QUOTED.search(text):
            return _scored(text, f"score {scale.group(0)!r} over quoted text")
    if SIDE_2.search(text) and (numbered := _numbered_pair(text)):
        return numbered
    if JSON_SIDE.search(text) and (fields := _json_pair(text)):
        return fields
    if "|" in text and TABLE_SIDE.search(text):
        return _table_pair(text)
    return None


class RubricGrading(PatternSignal):
    name: ClassVar[str] = "rubric_grading"
    description: ClassVar[str] = "uses the model as a grader or reward model"
    reads_layout: ClassVar[bool] = True
    concepts: ClassVar[list[ConceptRule]] = [
        # An AI system's answer graded (a pupil's answer graded by a teacher is not this).
        ConceptRule("an AI's answer graded", (("grade",), ("ai_answer",)), 250),
        # A preference asked between answers ("Jibu lipi ni bora zaidi?"): the English
        # regex below, in every listed language. Better, not best: "which answer is best"
        # closes many a quiz question.
        ConceptRule("which answer is better", (("which",), ("answer",), ("improved",)), 24,
                    phrase=True),
        ConceptRule("which answer is better", (("answer",), ("which",), ("improved",)), 24,
                    phrase=True),
    ]
    excuses: ClassVar[list[ConceptRule]] = [
        # A teacher grading a pupil's answer or paper ("Elevens svar", "Student answer").
        ConceptRule("a pupil's answer graded", (("learner",), ("answer", "pupil_work")), 25),
    ]
    # One answer scored is a judge's prompt when the answer is an AI's ("the assistant
    # replied"); the excuses still apply.
    layout_firmed_by: ClassVar[tuple[str, ...]] = ("ai_party", "ai_answer")
    weak_layout_because: ClassVar[str] = "an honest grader lays it out so too"
    strong: ClassVar[list[Rule]] = [
        (r"\b(grading|scoring|evaluation) rubric\b",
         ('rubric',)),
        (r"\baccording to (the|this|following) rubric\b",
         ('rubric',)),
        (r"\brubric\b.{0,80}\b(score|grade|rate|points)\b",
         ('rubric',)),
        (r"\b(score|rate|grade|evaluate|judge)\b.{0,30}\b(the|this|following|each)\b.{0,20}"
         r"\b(response|answer|completion|output|assistant'?s? (reply|answer))s?\b.{0,80}"
         r"\b(score|rating|grade|points|scale)\b",
         (("score", "rate", "grade", "evaluate", "judge"),
          ("response", "answer", "completion", "output", "assistant"),
          ("score", "rating", "grade", "points", "scale"))),
        (r"\breward model\b",
         ('reward model',)),
        (r"\bwhich (response|answer|completion|assistant) is better\b",
         ("is better",)),
        # "Which answer is better" in other languages (holdout-11's Japanese judge, whose
        # labels lay outside the scan window). Answers only: "which solution is better"
        # compares a developer's two approaches.
        (r"(どちらの|どの)(回答|答え|応答|返答)(が|の方が)(優れ|良い|よい|より良い|適切)",
         ('どちらの', 'どの')),
        (r"(哪个|哪一个|哪份)(回答|答案|回复)(更好|更优|更佳|较好)",
         ('哪个', '哪一个', '哪份')),
        (r"(어느|어떤) ?(답변|응답|대답)이 (더 )?(낫|좋|우수)",
         ('어느', '어떤')),
        (r"welche (antwort|der (beiden )?antworten) (ist )?(besser|die bessere)",
         ('welche',)),
        (r"quelle (réponse|des (deux )?réponses) est (la )?meilleure",
         ('quelle',)),
        (r"qual (resposta|das (duas )?respostas) é (a )?melhor",
         ('qual',)),
        (r"как(ой|ая) (из (двух )?)?(ответ|ответов)\w* (лучше|точнее)",
         ('какой', 'какая')),
        (r"któr(a|y) (z (dwóch )?)?odpowied\w* jest lepsz",
         ('któr',)),
        (r"welk(e)? (antwoord|van de (twee )?antwoorden) is (beter|het best)",
         ('welk',)),
        (r"cuál (respuesta|de las (dos )?respuestas) es (la )?mejor",
         ('cuál',)),
        (r"quale (risposta|delle (due )?risposte) è (la )?migliore",
         ('quale',)),
        (r"vilket (svar|av (de två )?svaren) är (bäst|bättre)",
         ('vilket',)),
        (r"\[\[(A|B|[0-9]+)\]\]",
         ('[[',)),
        # "Return the score" is also a coding task: return counts only as "return only".
        (r"\b(output|return only|reply with|respond with) (only )?(the|a|an|your|one)? ?"
         r"(final |single |integer |numeric(al)? )*(score|rating|grade|verdict)\b",
         (("output", "return only", "reply with", "respond with"), ("score", "rating", "grade", "verdict"))),
        (r"(评分标准|打分|评分细则|奖励模型)",
         ('评分', '打分', '奖励')),
        (r"(оцени|поставь оценку)\w*.{0,40}(по шкале|баллов)",
         ('шкале', 'баллов')),
        (r"(califica|puntúa)\b.{0,40}(escala|puntos)",
         ('escala', 'puntos')),
        # Other languages: a score on a numeric scale, or a grading rubric by name.
        (r"(nota|pontuação|punteggio|voto|punktów|punkty|punkte|punktzahl|ocen[ęa]|cijfer|score|puan|note"
         r"|балів|баллов)"
         r"\s+(de|da|od|van|von|від|от|sur)\s+\d+\s+(a|à|al|do|tot|bis|до|sur)\s+\d+",
         # Gates say which language's word is there: English "score" and "note" alone
         # would send every English prompt through this pattern.
         ('nota de', 'nota da', 'pontuação de', 'punteggio da', 'voto da', 'voto de', 'punktów od',
          'punkty od', 'punkte von', 'punktzahl von', 'ocenę od', 'ocena od', 'cijfer van',
          'score van', 'score de ', 'score da ', 'puan', 'note de', 'note sur', 'балів від',
          'баллов от')),
        (r"(grille d'évaluation|grille de notation|critérios de avaliação|criteri di valutazione"
         r"|kryteria oceny|bewertungsraster|beoordelingscriteria|değerlendirme ölçütleri|채점 기준"
         r"|採点基準|評価基準)",
         ('grille', 'critérios', 'criteri di', 'kryteria', 'bewertungsraster', 'beoordelingscriteria',
          'ölçütleri', '채점', '採点', '評価基準')),
    ]
    weak: ClassVar[list[Rule]] = [
        (r"\brubric\b", ("rubric",)),
        (r"\bgrade (my|this) (essay|answer)\b", ("grade",)),
    ]

    def material_starts(self, text: str) -> list[int]:
        return material_starts(text)

    def form(self, text: str) -> Form | None:
        layout = grading_form(text)
        if layout is not None and layout[1]:
            return layout
        # A score asked for in words ("rate it from 1 to 10") is no surer than one answer
        # scored under labels.
        if asked := asked_range(text):
            return asked, False
        return layout
