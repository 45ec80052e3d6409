"""Preference data: answers of deliberately different quality for one prompt ("two
answers, the second subtly worse"), or a draft answer's weaknesses followed by a
better answer (critique and revise). The chosen/rejected pairs that reward models
and preference tuning train on. A writer asking for an improved *version* of their
own text is not this: the revised object here is an answer or a response."""

from typing import ClassVar

from gateway.signals.concepts import ConceptRule
from gateway.signals.patterns import PatternSignal, Rule

ASK = ("give", "write", "generate", "produce", "create", "provide", "draft", "return", "output")
MANY = ("two", "2", "pair of", "three", "3", "several")
ANSWERS = ("answers", "responses", "replies", "completions", "outputs", "solutions")
WORSE = ("worse", "weaker", "flawed", "inferior", "lower quality", "lower-quality", "subtl",
         "deliberately", "mistake", "error", "bug", "poor", "bad")
DRAFT = ("draft", "your answer", "your response", "your reply", "your own", "first answer",
         "initial answer", "previous answer", "above answer", "candidate answer", "first response",
         "initial response", "previous response", "above response", "candidate response")
BETTER = ("better", "improved", "revised", "corrected", "stronger", "final")


class PreferenceData(PatternSignal):
    name: ClassVar[str] = "preference_data"
    description: ClassVar[str] = "asks for answers of contrasting quality or a critique-and-revise pair"
    concepts: ClassVar[list[ConceptRule]] = [
        # The model's own answer critiqued, then an improved one.
        ConceptRule("own answer critiqued and revised", (("own_answer",), ("critique",), ("improved",)), 300),
        # Two answers, one deliberately worse; or one good and one bad.
        # Asked for ("I got two answers and one seems flawed" is a question about them).
        ConceptRule("two answers, one worse", (("write",), ("two",), ("answer",), ("bad",)), 200),
        ConceptRule("a good and a bad answer", (("write",), ("good",), ("bad",), ("answer",)), 80),
    ]
    strong: ClassVar[list[Rule]] = [
        # "Give two different answers ..., the second subtly worse."
        (r"\b(give|write|generate|produce|create|provide|draft|return|output)\b.{0,30}"
         r"\b(two|2|a pair of|three|3|several)\b.{0,30}\b(answers|responses|replies|completions|outputs"
         r"|solutions)\b.{0,200}?\b(worse|weaker|flawed|inferior|lower[- ]quality|subtly|deliberately"
         r"|with (a |an |one )?(subtle |small |hidden )?(flaw|error|mistake|bug)s?)\b",
         (ASK, MANY, ANSWERS, WORSE)),
        # A preference record to fill: the chosen and the rejected answer as named keys
        # (the DPO layout), quoted as field names.
        (r"[\"'`](chosen|preferred)(_response|_answer|_completion)?[\"'`].{0,300}[\"'`](rejected|dispreferred)"
         r"(_response|_answer|_completion)?[\"'`]",
         (("chosen", "preferred"), ("rejected", "dispreferred"))),
        # "One good and one bad answer", "a correct response and an incorrect one".
        (r"\bone (good|correct|excellent|high[- ]quality|helpful|strong)\b.{0,20}\band one "
         r"(bad|worse|incorrect|flawed|poor|low[- ]quality|unhelpful|weak)\b.{0,20}"
         r"\b(answer|response|reply|completion)s?\b",
         (("one good", "one correct", "one excellent", "one high", "one helpful", "one strong"),
          ("and one",))),
        # A draft answer's weaknesses, then a better answer.
        (r"\b(draft|your (own )?(answer|response|reply)|(first|initial|previous|above|candidate) "
         r"(answer|response))\b.{0,200}?\b(weakness(es)?|shortcomings?|flaws?|mistakes|problems|errors"
         r"|critique|criticism)\b.{0,200}?\b(better|improved|revised|corrected|stronger|final)\b.{0,20}"
         r"\b(answer|response|reply)\b",
         (DRAFT, ("weakness", "shortcoming", "flaw", "mistakes", "problems", "errors", "critique",
                  "criticism"), BETTER)),
        (r"\b(weakness(es)?|shortcomings?|flaws?|mistakes|problems|errors|critique|criticize|criticise)\b"
         r".{0,20}\b(the draft|your (own )?(answer|response|reply)|(the|this) (first|initial|previous|above"
         r"|candidate) (answer|response))\b.{0,200}?\b(better|improved|revised|corrected|stronger|final)\b"
         r".{0,20}\b(answer|response|reply)\b",
         (("weakness", "shortcoming", "flaw", "mistakes", "problems", "errors", "critique", "criticize",
           "criticise"), DRAFT, BETTER)),
        # The model's own answer critiqued, then a better version of it: "version" counts
        # here, where the critiqued object is the answer, not the writer's draft.
        (r"\b(your (own )?(answer|response|reply)|(first|initial|previous) (answer|response))\b.{0,120}?"
         r"\b(weakness(es)?|shortcomings?|flaws?|mistakes|problems|errors)\b.{0,200}?"
         r"\b(better|improved|revised|corrected|stronger|final)\b.{0,20}\b(version|answer|response|reply)\b",
         (("your answer", "your response", "your reply", "your own", "first answer", "initial answer",
           "previous answer", "first response", "initial response", "previous response"),
          ("weakness", "shortcoming", "flaw", "mistakes", "problems", "errors"), BETTER)),
        # Other languages: two answers, one of them worse.
        (r"(zwei|2) (verschiedene |unterschiedliche )?(antworten|lösungen).{0,200}?"
         r"(schlechter|schwächer|fehlerhaft|mangelhaft|subtil)",
         (("zwei", "2 "), ("antworten", "lösungen"),
          ("schlechter", "schwächer", "fehlerhaft", "mangelhaft", "subtil"))),
        (r"(deux|2) (réponses|solutions)( différentes)?.{0,200}?(moins bonne|pire|moins bien|erron"
         r"|défaut|subtil|médiocre)",
         (("deux", "2 "), ("réponses", "solutions"),
          ("moins bonne", "pire", "moins bien", "erron", "défaut", "subtil", "médiocre"))),
        (r"(duas|2) (respostas|soluções)( diferentes)?.{0,200}?(pior|mais fraca|com (um )?erro|falha"
         r"|sutil)",
         (("duas", "2 "), ("respostas", "soluções"), ("pior", "fraca", "erro", "falha", "sutil"))),
        (r"(два|две|2) (разных |различных )?(ответа|варианта ответа|решения).{0,200}?"
         r"(хуже|слабее|с ошибк|неточн)",
         (("два", "две", "2 "), ("ответа", "решения"), ("хуже", "слабее", "ошибк", "неточн"))),
        (r"(dos|2) respuestas( distintas| diferentes)?.{0,200}?(peor|más débil|con (un )?error|defectuosa"
         r"|sutil)",
         (("dos respuestas", "2 respuestas"), ("peor", "débil", "error", "defectuosa", "sutil"))),
        (r"(due|2) risposte( diverse| differenti)?.{0,200}?(peggiore|più debole|con (un )?errore|difettosa"
         r"|sottile)",
         (("due risposte", "2 risposte"), ("peggiore", "debole", "errore", "difettosa", "sottile"))),
        (r"(två|2) (olika )?svar.{0,200}?(sämre|svagare|med (ett )?fel|bristfällig|subtil)",
         (("två", "2 "), ("svar",), ("sämre", "svagare", "fel", "bristfällig", "subtil"))),
        (r"(两个|两种|2个|两份)(不同的)?(回答|答案|回复).{0,100}?(较差|更差|差一些|有缺陷|有错误|稍差)",
         (("两个", "两种", "2个", "两份"), ("回答", "答案", "回复"),
          ("较差", "更差", "差一些", "有缺陷", "有错误", "稍差"))),
        (r"(2つ|二つ|２つ)の(異なる)?(回答|答え|応答).{0,100}?(劣る|悪い|欠陥|誤り|間違い)",
         (("2つ", "二つ", "２つ"), ("回答", "答え", "応答"), ("劣る", "悪い", "欠陥", "誤り", "間違い"))),
        # Other languages: a draft answer's weaknesses, then a better answer.
        (r"(schwächen|mängel|fehler)\b.{0,200}?(bessere|verbesserte|überarbeitete|korrigierte) antwort",
         (("schwächen", "mängel", "fehler"), ("bessere antwort", "verbesserte antwort",
                                               "überarbeitete antwort", "korrigierte antwort"))),
        (r"(faiblesses|défauts|erreurs)\b.{0,200}?(meilleure réponse|réponse (améliorée|corrigée|révisée))",
         (("faiblesses", "défauts", "erreurs"), ("meilleure réponse", "réponse amélior",
                                                 "réponse corrig", "réponse révis"))),
        (r"(недостатк|слабые стороны|ошибк)\w*.{0,200}?(лучш|улучшенн|исправленн)\w* (ответ|вариант ответа)",
         (("недостатк", "слабые стороны", "ошибк"), ("лучш", "улучшенн", "исправленн"), ("ответ",))),
        (r"(缺点|不足之处|问题).{0,80}?(更好的|改进的|改进后的|修改后的)(回答|答案|回复)",
         (("缺点", "不足之处", "问题"), ("更好的", "改进的", "改进后的", "修改后的"))),
    ]
