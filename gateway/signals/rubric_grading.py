"""Rubric grading and reward-model prompts: the model used as a judge to score
other answers, the data an RL pipeline needs."""

from typing import ClassVar

from gateway.signals.patterns import PatternSignal, Rule

# "1 to 10", "0-5": a digit right after " to " or "-".
RANGES = tuple(f"{joint}{digit}" for joint in (" to ", "-") for digit in "0123456789")


class RubricGrading(PatternSignal):
    name: ClassVar[str] = "rubric_grading"
    description: ClassVar[str] = "uses the model as a grader or reward model"
    strong: ClassVar[list[Rule]] = [
        (r"\b(grading|scoring|evaluation) rubric\b",
         ('rubric',)),
        (r"\baccording to (the|this|following) rubric\b",
         ('rubric',)),
        (r"\brubric\b.{0,80}\b(score|grade|rate|points)\b",
         ('rubric',)),
        (r"\b(score|rate|grade)\b.{0,60}\b(on a scale (of|from)|from) \d+ (to|-) \d+\b",
         # The range itself is a gate too: "score" and "from" alone are in every other
         # English prompt, and this pattern costs 30 µs on 2 KB when it runs. Not
         # "rating": an MT-Bench writing task asks for "a rating ... on a scale of 1 to 10".
         (("score", "rate", "grade"), ("scale", "from "), RANGES)),
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
