"""Signals, one by one: content intent in several languages (and the honest phrasings
that must not count fully), request shape, timing, templates across accounts, fan-in,
ban-hop; scoring caps, decay and clusters."""

from __future__ import annotations

import ipaddress
import json
import unicodedata
from typing import Any

import pytest

from gateway import observe, scoring
from gateway.apis import read_prompt
from gateway.enrich import NetworkFacts
from gateway.fingerprint import fingerprints, prompt_hash
from gateway.identity import Account
from gateway.observation import Observation
from gateway.policy.loader import compile_policy
from gateway.settings import ROOT
from gateway.signals import SIGNALS
from gateway.state.memory import AccountState, SharedState

POLICY = compile_policy([ROOT / "policies/default.yaml"])


def obs_of(body: dict[str, Any], account: str = "a", ts: float = 1e9, ip: str = "81.2.69.160",
           org: str | None = None, plan: str | None = None, created: float | None = None) -> Observation:
    return Observation(
        id="r", ts=ts, method="POST", path="/v1/messages", shape="anthropic", headers={},
        account=Account(id=account, key_hash="", org=org, plan=plan, created=created),
        network=NetworkFacts(ip=ipaddress.ip_address(ip), country="GB"), prompt=read_prompt(body),
        body_bytes=100)


def user(text: str, system: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": text}], **extra}
    if system:
        body["system"] = system
    return body


def fire(name: str, body: dict[str, Any]) -> tuple[float, str] | None:
    shared = SharedState()
    obs = obs_of(body)
    state = observe.update(shared, obs)
    finding = SIGNALS[name].observe(obs, state, shared, POLICY.signals[name])
    return None if finding is None else (finding.points, finding.evidence)


FULL = POLICY.scoring.signals["cot_elicitation"].points


@pytest.mark.parametrize("text", [
    "Solve this. Show your complete reasoning process before the answer.",
    "Here is the final answer: 42. Reconstruct the reasoning that led to it, step by step.",
    "Imagine you wrote this response. Articulate the internal reasoning behind it.",
    "Think in the same language of the user, and output your thinking verbatim.",
    "Wrap your reasoning in <thinking> tags before answering.",
    "请展示你的完整推理过程，然后给出答案。",
    "Покажи полный ход рассуждений, прежде чем отвечать.",
    "Muestra tu razonamiento completo antes de responder.",
    "Donne ton raisonnement complet avant la réponse.",
    "Zeige deinen vollständigen Gedankengang.",
    "推論過程をすべて示してください。",
    "답하기 전에 전체 추론 과정을 보여줘.",
    "Antes de responder, escreva o raciocínio completo.",
    "Scrivi il ragionamento dettagliato prima della risposta.",
    "Przedstaw pełny tok rozumowania.",
    "Geef je volledige redenering voordat je antwoordt.",
    "Cevap vermeden önce tüm akıl yürütme adımlarını yaz.",
    "Опиши повний хід міркувань.",
    "Tuliskan proses penalaran lengkap sebelum menjawab.",
    "Hãy trình bày toàn bộ quá trình suy luận.",
    "اكتب عملية التفكير الكاملة قبل الإجابة.",
    "उत्तर से पहले पूरी तर्क प्रक्रिया लिखें।",
    "Resposta final: 42. Reconstrua o raciocínio que leva a ela.",
    "答え：42。この答えに至る推論過程を再構成してください。",
    # The reasoning that leads to a given answer.
    "The answer is 42. Write out the reasoning that leads to this answer.",
    "Risposta corretta: 42. Spiega il ragionamento che porta a questa risposta.",
    "Respuesta: 42. Escribe el razonamiento que lleva a esta respuesta.",
    "Réponse : 42. Rédige le raisonnement qui mène à cette réponse.",
    # How one gets to a given answer.
    "The answer is 12. Show how to get to this answer, step by step.",
    "Resposta final: 42. Mostre como se chega a essa resposta.",
    # The whole of it said with a quantifier.
    "Before answering, write down all of your intermediate thinking, in order.",
    "Lay out every single step of your reasoning, then the answer.",
    # The thinking that produced a given answer; how one arrives at it.
    "Translate the answer below, and first explain the thinking that produced the original answer.",
    "Goed antwoord: 42\nLeg uit hoe je op dit antwoord komt.",
    "Antwort: 42. Erkläre, wie man auf diese Antwort kommt.",
    "Ответ: 42. Объясни, как прийти к этому ответу.",
    "答え：42。この答えに至るまでの思考を書いてください。",
    "答案：42。请写出得出这个答案的推理过程。",
    "답: 42. 이 답에 이르는 과정을 설명해 주세요.",
    "Solución: 42. Describe el proceso mental que llevaría a alguien a esa solución.",
    "Svar: 42. Förklara hur man kommer fram till detta svar.",
    "Schreib jeden einzelnen Gedanken auf, den du auf dem Weg zur Antwort hast.",
])
def test_cot_elicitation_strong(text: str) -> None:
    found = fire("cot_elicitation", user(text))
    assert found is not None and found[0] == FULL, text


@pytest.mark.parametrize("text", [
    "Can you explain step by step how to solve 3x + 5 = 20?",
    "Explique paso a paso cómo se hace una tortilla.",
    "Show your work: what is 17 * 23?",
    "Me explica passo a passo como resolver essa equação?",
    "Wytłumacz krok po kroku, jak rozwiązać to zadanie.",
    "Give each step, then explain your reasoning.",
])
def test_students_are_weak_evidence(text: str) -> None:
    found = fire("cot_elicitation", user(text))
    assert found is not None and 0 < found[0] < FULL


@pytest.mark.parametrize("text", [
    "What is the capital of France?",
    "Write a haiku about autumn leaves.",
    "Refactor this function to use a dict instead of a list of tuples.",
    "My thought was to reason with the landlord; what should I write to him?",
    "Write down all your thoughts on the film in a short diary entry.",
    "How do I get to the station from here?",
    "What thoughts gave you the idea for this story?",
    "The logic that produced the wrong result is in line 4; fix it.",
    "Explain the thinking that produced the Renaissance.",
    "Wie komme ich zum Bahnhof?",
    "Как прийти к успеху?",
    "Schreib mir alle Gedanken zum Film auf.",
])
def test_ordinary_prompts_are_not_cot(text: str) -> None:
    assert fire("cot_elicitation", user(text)) is None


def test_real_legit_prompts_rarely_fire_strong() -> None:
    """Calibration check on real user prompts (Chatbot Arena, MT-Bench): the strong
    content patterns fire on almost none of them."""
    prompts = [json.loads(line)["prompt"] for line in
               (ROOT / "data/prompts/arena-hard/arena-hard-v0.1-question.jsonl").open()]
    prompts += [json.loads(line)["turns"][0] for line in
                (ROOT / "data/prompts/mt-bench/mt_bench_question.jsonl").open()]
    strong = 0
    for text in prompts:
        for name in ("cot_elicitation", "rubric_grading", "bulk_generation"):
            found = fire(name, user(text))
            if found is not None and found[0] == POLICY.scoring.signals[name].points:
                strong += 1
    assert strong / len(prompts) < 0.02


@pytest.mark.parametrize("text", [
    "Rate the assistant's answer on a scale of 1 to 10 and output the final score as [[score]].",
    "Grade the following response according to the rubric: accuracy 0-5, clarity 0-5.",
    "Which response is better, A or B? Answer [[A]] or [[B]].",
    "请根据评分标准给这个回答打分。",
    "Dê uma nota de 1 a 10 para esta resposta.",
    "Évalue la réponse selon la grille d'évaluation.",
    "Przyznaj ocenę od 1 do 10 tej odpowiedzi.",
    "Geef een score van 1 tot 10 op basis van juistheid.",
    "Vergib eine Punktzahl von 1 bis 10.",
    "Output only an integer rating from 1 to 10.",
    "Return only the numeric score.",
    "Score this essay for argument and evidence, from 0-5 each.",
    "Please grade it. Use whole points on a scale of 1 to 10.",
    # "Which answer is better" in other languages.
    "どちらの回答が優れていますか。「1」か「2」だけで答えてください。",
    "哪个回答更好？只回答1或2。",
    "어느 답변이 더 낫습니까?",
    "Welche der beiden Antworten ist besser?",
    "Quelle réponse est la meilleure ?",
    "Qual resposta é melhor?",
    "Какой из двух ответов лучше?",
    "Która odpowiedź jest lepsza?",
    "Welk antwoord is beter?",
    "¿Cuál de las dos respuestas es mejor?",
    "Quale risposta è migliore?",
    "Vilket svar är bäst?",
])
def test_rubric_grading(text: str) -> None:
    assert fire("rubric_grading", user(text)) is not None


ANSWER = "The capital of Australia is Canberra, chosen as a compromise between Sydney and Melbourne."


def graded(text: str, strong: bool) -> tuple[float, str]:
    """rubric_grading's finding on `text`, asserted strong (full points) or weak."""
    found = fire("rubric_grading", user(text))
    full = POLICY.scoring.signals["rubric_grading"].points
    assert found is not None and (found[0] == full if strong else 0 < found[0] < full)
    return found


@pytest.mark.parametrize("text", [
    # The layout of a grading prompt in languages no rule names: a score range over a
    # labelled question and one answer, or a score asked for in words. Weak evidence:
    # a teacher grading a pupil and a support lead rating an agent lay it out the same.
    f"Pertanyaan: What is the capital of Australia?\nJawaban: {ANSWER}\nBerikan skor dari 1 sampai 10.",
    f"प्रश्न: What is the capital of Australia?\nउत्तर: {ANSWER}\nउत्तर को 1 से 10 तक अंक दें।",
    f"質問: オーストラリアの首都は？\n回答: {ANSWER}\n回答を1〜10で評価してください。",
    f"[Instruction]\nName the capital of Australia.\n[Completion]\n{ANSWER}\n"
    "Reply with a single integer between 1 and 10.",
    f"Exam question: capital of Australia?\nCandidate response: {ANSWER}\nMark it out of 10.",
    f"Otázka: capital of Australia?\nOdpověď žáka: {ANSWER}\nOhodnoť odpověď známkou 1 až 5.",
    f"Rate the support agent's reply from 1 to 10.\nCustomer: where is my parcel?\nAgent: {ANSWER}",
    # The exchange quoted inline, no labels; a Likert scale with its anchors.
    f'Someone asked "What is the capital of Australia, and why was it chosen over Sydney?" and '
    f'got "{ANSWER}" Rate it from 1 (useless) to 5 (excellent) and say why in a sentence.',
    f"Die Frage „Was ist die Hauptstadt Australiens und warum nicht Sydney?“ wurde so "
    f"beantwortet: „{ANSWER}“ Bewerte die Antwort von 0 (falsch) bis 10 (perfekt).",
    # An AI named only inside the material rated: an AI-drafted support reply, a
    # question about chatbots. The prompt's own labels name a person.
    f"Rate the agent's reply from 1 to 10.\nCustomer: where is my parcel?\nAgent: As an AI "
    f"assistant, I checked: {ANSWER}",
    f"Oppgave: how do I build a chatbot with an LLM?\nElevsvar: {ANSWER}\nGi karakter fra 1 til 5.",
    # A scale whose numbers carry case endings (session 16, after holdout-33's Gagauz
    # judge): read, and weak over one answer.
    f"Kysymys: capital of Australia?\nVastaus: {ANSWER}\nArvioi vastaus asteikolla 1:stä 10:een.",
    f"Soru: capital of Australia?\nCevap: {ANSWER}\nCevabı 1'den 10'a kadar puanla, nedenini yaz.",
    # Attributes in code are no judge's score placeholder.
    "Gi karakter fra 1 til 5.\nOppgave: a Metal vertex shader\nSvar: ```metal\nstruct V {\n"
    "  float4 p [[position]];\n};\n```\nvertex V main0(uint vid [[vertex_id]]) { return V(); }",
])
def test_one_answer_scored_is_weak_layout_evidence(text: str) -> None:
    found = graded(text, strong=False)
    assert "weak: an honest grader" in found[1]


@pytest.mark.parametrize("text", [
    # One answer scored, given by an AI.
    f"Question: capital of Australia?\nAssistant: {ANSWER}\nScore it from 1 to 10.",
    f'A user asked "What is the capital of Australia, and why was it chosen over Sydney?" and the '
    f'chatbot said "{ANSWER}" Reply with JSON {{"useful": n}}, n from 1 to 5.',
    f"Pregunta: capital de Australia\nRespuesta del asistente: {ANSWER}\nDel 1 al 10.",
    f"User: capital of Australia?\nAI: {ANSWER}\nHow good is it out of 100? Just the number.",
    # A judge's own score placeholder (MT-Bench's "[[rating]]").
    f"{ANSWER}\nĐánh giá câu trả lời theo thang 1-5. Kết quả: [[điểm]]",
    # Two answers side by side, labels differing only in A and B.
    f"Pregunta: capital de Australia\nRespuesta A: {ANSWER}\nRespuesta B: Sydney.\n¿Cuál es mejor?",
    f"質問: オーストラリアの首都は？\n回答A: {ANSWER}\n回答B: シドニー",
    f"[The Start of Assistant A's Answer]\n{ANSWER}\n[The End of Assistant A's Answer]\n"
    f"[The Start of Assistant B's Answer]\nSydney.\n[The End of Assistant B's Answer]",
    # Two answers numbered instead of lettered, under a label that names an answer.
    f"質問: オーストラリアの首都は？\n\n回答その1:\n{ANSWER}\n\n回答その2:\nシドニー\n\nどちらが優れていますか。",
    f"Prompt: capital of Australia?\nResponse 1: {ANSWER}\nResponse 2: Sydney.\nPick one.",
    f"Prompt: capital of Australia?\nResponse 1: {ANSWER}\nResponse 2: Sydney.\nBewerte beide von 1 bis 5.",
    # Numbered under the answer word of any language the lexicon lists.
    f"Klausimas: Australijos sostinė?\nAtsakymas 1: {ANSWER}\nAtsakymas 2: Sidnėjus.\nKuris geresnis?",
    f"Pitanje: glavni grad Australije?\nOdgovor 1: {ANSWER}\nOdgovor 2: Sydney.\nKoji je bolji?",
    # A score asked for in words does not hide the pair beside it.
    f"Rate each response from 1 to 10.\nQuestion: capital of Australia?\nResponse A: {ANSWER}\n"
    "Response B: Sydney.",
    # Lettered with the first two letters of another alphabet, in languages whose words
    # the lexicon does not list (Armenian, Kazakh, Georgian) as in those it does.
    f"Հարց: Ավստրալիայի մայրաքաղաքը?\nՊատասխան Ա: {ANSWER}\nՊատասխան Բ: Սիդնեյ։\nԳրիր միայն Ա կամ Բ։",
    f"Сұрақ: Австралияның астанасы?\nЖауап А: {ANSWER}\nЖауап Б: Сидней.",
    f"Απάντηση Α: {ANSWER}\nΑπάντηση Β: Σίδνεϊ.",
    f"კითხვა: ავსტრალიის დედაქალაქი?\nპასუხი ა: {ANSWER}\nპასუხი ბ: სიდნეი.",
    f"שאלה: בירת אוסטרליה?\nתשובה א: {ANSWER}\nתשובה ב: סידני.",
    f"السؤال: عاصمة أستراليا؟\nالإجابة أ: {ANSWER}\nالإجابة ب: سيدني.",
    f"प्रश्न: ऑस्ट्रेलिया की राजधानी?\nउत्तर क: {ANSWER}\nउत्तर ख: सिडनी।",
    f"问题：澳大利亚的首都？\n回答甲：{ANSWER}\n回答乙：悉尼",
    # Answers lettered with any two letters of a script the table does not name (Ge'ez,
    # Gujarati, Telugu, katakana): syllabaries and orders no list keeps.
    f"ጥያቄ: የአውስትራሊያ ዋና ከተማ?\nምላሽ ሀ: {ANSWER}\nምላሽ ለ: ሲድኒ።",
    f"પ્રશ્ન: ઓસ્ટ્રેલિયાની રાજધાની?\nજવાબ ક: {ANSWER}\nજવાબ ખ: સિડની.",
    f"ప్రశ్న: ఆస్ట్రేలియా రాజధాని?\nసమాధానం అ: {ANSWER}\nసమాధానం ఆ: సిడ్నీ.",
    f"質問: オーストラリアの首都は？\n回答 ア: {ANSWER}\n回答 イ: シドニー",
    # Alef and be under Pashto's answer word (listed since session 14, after holdout-26).
    f"پوښتنه: د اسټرالیا پلازمېنه؟\nځواب الف: {ANSWER}\nځواب ب: سیډني.",
    # A and E, the first two letters of the Polynesian alphabets, under Samoan's answer
    # word (listed since session 15, after holdout-28).
    f"Fesili: Australia?\nTali A: {ANSWER}\nTali E: Sydney.\nTusi na o le A po o le E.",
    # Markdown headings, the letter or number bracketed (AlpacaEval's judge layout).
    f"# Instruction:\nName the capital of Australia.\n\n# Output (a):\n{ANSWER}\n\n# Output (b):\n"
    "Sydney.\n\n# Which is best, Output (a) or Output (b)?",
    f"Prompt: capital of Australia?\nResponse (1): {ANSWER}\nResponse (2): Sydney.\nPick one.",
    # Answers in XML tags opening their lines, lettered or numbered (session 16, after
    # holdout-30's judge).
    f"<question>capital of Australia?</question>\n<response_a>{ANSWER}</response_a>\n"
    "<response_b>Sydney.</response_b>\nReply A or B.",
    f"<prompt>capital of Australia?</prompt>\n<answer_1>\n{ANSWER}\n</answer_1>\n<answer_2>\nSydney.\n</answer_2>",
    # Answers as JSON fields (session 16, after holdout-31's judge).
    '{"prompt": "capital of Australia?", "response_a": "' + ANSWER + '", "response_b": "Sydney."}',
    '{"question": "capital of Australia?", "answer_1": "' + ANSWER + '", "answer_2": "Sydney."} Pick one.',
    # Labels in bold, with no colon or with one (session 16, after holdout-32's judge).
    f"Prompt: capital of Australia?\n\n**Response A**\n{ANSWER}\n\n**Response B**\nSydney.\n\nA or B?",
    f"**Answer 1:**\n{ANSWER}\n**Answer 2:**\nSydney.",
    # Labels alone on their lines, ending in their side's letter (session 16, after
    # holdout-33's judge), in any alphabet.
    f"Question\ncapital of Australia?\n\nResponse A\n{ANSWER}\n\nResponse B\nSydney.\n\nA or B?",
    f"Фарст: столица Австралии?\n\nДзуапп А\n{ANSWER}\n\nДзуапп Б\nСидней.",
    # Answers in a Markdown table, one row per letter, under a header naming them (session
    # 16, after holdout-34's judge).
    f"Prompt: capital of Australia?\n\n| Candidate | Reply |\n|---|---|\n| A | {ANSWER} |\n| B | Sydney. |",
    # Answers as YAML fields (session 16, after holdout-35's judge).
    f"prompt: capital of Australia?\nresponse_a: |\n  {ANSWER}\nresponse_b: |\n  Sydney.\nOutput a or b.",
    # Answers under HTML headings (session 16, after holdout-36's judge).
    f"<p>capital of Australia?</p>\n<h3>Response A</h3>\n<p>{ANSWER}</p>\n<h3>Response B</h3>\n<p>Sydney.</p>",
    # Under Bashkir's answer word (listed since session 16), lettered in Cyrillic.
    f"Һорау: Австралияның баш ҡалаһы?\nЯуап А: {ANSWER}\nЯуап Б: Сидней.",
])
def test_rubric_grading_by_layout_in_any_language(text: str) -> None:
    found = graded(text, strong=True)
    assert found[1].startswith(("score ", "asks a score", "two answers side by side"))


@pytest.mark.parametrize("text", [
    f"Exam question: capital of Australia?\nStudent's response: {ANSWER}\n[[score]] out of 10.",
    f"Du är lärare. Bedöm elevens svar.\nFråga: capital of Australia?\nSvar A: {ANSWER}\nSvar B: Sydney",
    "Grade this pupil's answer on a scale of 1 to 10 using the rubric: accuracy (4), reasoning (3), "
    f"clarity (3). Give the score and one line of feedback.\nQuestion: capital of Australia?\nAnswer: {ANSWER}",
])
def test_a_pupils_answer_graded_is_weak_evidence(text: str) -> None:
    # Teachers grade their pupils' answers with the same layouts and rubrics as a reward
    # model's judge: throttled with the template they share, never refused on it.
    found = graded(text, strong=False)
    assert "a pupil's answer graded" in found[1]


@pytest.mark.parametrize("text", [
    # One answer scored, only the score wanted back: a labelling pipeline's request
    # (holdout-21's, -24's, -25's and -26's criteria judges named no AI).
    f"Question: capital of Australia?\nCandidate: {ANSWER}\nGive three integers from 1 to 10 for "
    "accuracy, clarity and completeness, comma-separated, nothing else.",
    f'Someone asked "What is the capital of Australia, and why was it chosen over Sydney?" and '
    f'got "{ANSWER}" Reply with JSON {{"useful": n}}, n from 1 (useless) to 5 (excellent).',
    f"Frage: Hauptstadt Australiens?\nAntwort: {ANSWER}\nBewerte die Antwort von 1 bis 10. Nur die Zahl.",
    f"问题：澳大利亚的首都？\n回答：{ANSWER}\n请按1-10评价这个回答，只输出数字。",
    f"Pregunta: ¿capital de Australia?\nRespuesta: {ANSWER}\nPuntúa de 1 a 10. Solo números.",
    f"Ceist: prìomh-bhaile Astràilia?\nFreagairt: {ANSWER}\nMeas i bho 1 gu 10. Àireamhan a-mhàin.",
])
def test_one_answer_scored_for_a_bare_score_is_a_pipelines(text: str) -> None:
    found = graded(text, strong=True)
    assert "a bare score asked" in found[1]


@pytest.mark.parametrize("text", [
    # The reason wanted with the mark: a hiring panel, a support lead.
    f"Interview question: capital of Australia?\nCandidate's answer: {ANSWER}\nScore the answer "
    "from 1 to 5 on accuracy and clarity, with one sentence of justification each.",
    # "Only" and a score that ask for no bare verdict.
    f"Question: capital of Australia?\nAnswer: {ANSWER}\nScore it from 1 to 10; the only "
    "score that matters is accuracy, so explain it.",
    f"Question: capital of Australia?\nAnswer: {ANSWER}\nScore it from 1 to 10 and list "
    "just a number of its weak points.",
    # A pupil's answer, even for the mark only: the excuse holds. (Two texts lettered A
    # and B for a bare "A or B only": test_other_things_lettered_a_and_b_are_weak_evidence.)
    f"Question: capital of Australia?\nStudent answer: {ANSWER}\nMark it from 1 to 10. Number only.",
])
def test_a_bare_verdict_leaves_other_gradings_weak(text: str) -> None:
    graded(text, strong=False)


@pytest.mark.parametrize("text", [
    f"We are A/B testing our mailing.\nSubject line A: {ANSWER}\nSubject line B: Our spring sale is on\n"
    "Which one will get more opens? Reply A or B only.",
    f"Option A: {ANSWER}\nOption B: move to Melbourne for the job. Which should I choose?",
    f"Вариант А: {ANSWER}\nВариант Б: переехать в Мельбурн. Что выбрать?",
    # Five options, A to E, with B among them: a multiple-choice question, A/B read first.
    f"Option A: {ANSWER}\nOption B: Sydney\nOption E: Perth. Which city?",
    f"Option A: {ANSWER}\nOption E: Perth. Which city?",
    f"# Option (a):\n{ANSWER}\n# Option (b):\nStay in Sydney.\nWhich should I choose?",
    # Two config variants as YAML fields (holdout-35's platform team).
    f"variant_a: |\n  {ANSWER}\nvariant_b: |\n  Keep three replicas.\nWhich should we roll out?",
    # Two bids in a Markdown table (holdout-34's procurement team).
    f"| Bid | Proposal |\n|---|---|\n| A | {ANSWER} |\n| B | Fixed price, delivery in 12 weeks. |",
    # Two clauses under labels alone on their lines (holdout-33's legal team).
    f"Clause A\n{ANSWER}\n\nClause B\nThe supplier may terminate on 30 days' notice.\n\nWhich is better?",
    # Two designs under bold labels (holdout-32's product team).
    f"**Design A**\n{ANSWER}\n\n**Design B**\nKeep the current layout.\n\nWhich should we ship?",
    # Two ad variants as JSON fields (holdout-31's marketing team).
    '{"variant_a": "' + ANSWER + '", "variant_b": "Shop now and save."} Which should we run, A or B?',
    # Two diffs in XML tags: every code reviewer weighs them (holdout-30's review bot).
    f"<diff_a>\n{ANSWER}\n</diff_a>\n<diff_b>\nreturn None\n</diff_b>\nWhich should we merge, A or B?",
])
def test_other_things_lettered_a_and_b_are_weak_evidence(text: str) -> None:
    # Options, headlines and subject lines are weighed side by side every day; only
    # answers compared are a judge's (holdout-25's newsletter team was refused on it).
    found = graded(text, strong=False)
    assert "two texts side by side" in found[1]


def test_other_things_lettered_are_firm_when_an_ai_wrote_them() -> None:
    text = f"Source: a page on Australia.\nChatbot summary A: {ANSWER}\nChatbot summary B: Sydney."
    graded(text, strong=True)


def test_layout_is_read_beyond_the_wording_window() -> None:
    """A long question pushes the answer labels into the middle of the prompt, out of
    the 2 KB head and tail the wording rules read: the layout has a wider window."""
    question = "Please consider this long question about the history of Canberra. " * 40
    text = f"Question: {question}\n\nResponse 1:\n{ANSWER * 20}\n\nResponse 2:\nI do not know.\n\nReply 1 or 2."
    half = POLICY.signals["rubric_grading"].params.scan_chars // 2
    assert half < text.index("Response 1:") < len(text) - half  # outside the wording's window
    found = fire("rubric_grading", user(text))
    assert found is not None and found[1].startswith("two answers side by side")


@pytest.mark.parametrize("text", [
    "Write a loop that prints the numbers from 1 to 10.",
    "Question: how did sales change from 2010 to 2020?\nContext: see the table below.",
    "Install: pip install foo\nUsage: foo --level 1-5 runs levels one to five.",
    "Question: what is 21/10 as a decimal?\nAnswer: 2.1",
    "Version 1.5 to 1.10 changed the API.\nBefore: old\nAfter: new",
    # Numbered steps, questions or products are no pair of answers.
    f"Model 1: {ANSWER}\nModel 2: a hatchback with a smaller boot. Which car should I buy?",
    f"Step 1: {ANSWER}\nStep 2: book the flights to Canberra.",
    f"Question 1: {ANSWER}\nQuestion 2: what is the capital of France?",
    f"Žingsnis 1: {ANSWER}\nŽingsnis 2: užsisakykite skrydžius į Kanberą.",
    f"Pitanje 1: {ANSWER}\nPitanje 2: koji je glavni grad Francuske?",
    # A dialogue between A and B is no pair of answers, in any alphabet.
    f"Translate this dialogue:\nA: {ANSWER}\nB: Really? I thought it was Sydney.",
    f"Переведи диалог:\nА: {ANSWER}\nБ: Правда? Я думал, Сидней.",
    # One lettered side alone, or two letters of different alphabets, is no pair.
    f"Ответ А: {ANSWER}\nОтвет Г: Сидней.",
    f"Պատասխան Ա: {ANSWER}\nՊատասխան Բ ...",
    # Outside the table: a dialogue needs no stem, one side is no pair, Chinese numerals
    # number questions, Latin X and Y name parties.
    f"સંવાદનો અનુવાદ કરો:\nક: {ANSWER}\nખ: ખરેખર? મને લાગ્યું સિડની.",
    f"ምላሽ ሀ: {ANSWER}\nምላሽ ለ ...",
    f"問題 一: {ANSWER}\n問題 二: フランスの首都は？",
    f"Case study.\nCompany X: {ANSWER}\nCompany Y: a rival that moved to Sydney. Compare their strategies.",
    # Numbered JSON fields that name no answer are steps.
    '{"step_1": "' + ANSWER + '", "step_2": "book the flights to Canberra."}',
    # Numbered steps in a table are no pair of answers.
    f"| Step | Action |\n|---|---|\n| 1 | {ANSWER} |\n| 2 | Book the flights. |",
    # A line that ends in a one-letter word is no label unless its twin names the other side.
    f"We could go with plan A\n{ANSWER}\nor with plan b, which is to stay in Sydney.",
    # Numbered steps in bold are no pair of answers; bold words in a sentence are no labels.
    f"**Step 1**\n{ANSWER}\n**Step 2**\nBook the flights to Canberra.",
    f"Some **bold** words: {ANSWER} And a **verb** or a **b** too, over a long line.",
    # HTML bold is no label.
    f"<b>Note:</b> {ANSWER}\n<b>Tip:</b> pack a jacket for Canberra.",
    # A quotation next to a regex class or a version range is no graded answer.
    f'grep -E "[0-9]+ items" log.txt prints nothing; the log says "{ANSWER}"',
    f'Upgrading from v1-5 broke the parser: "{ANSWER}"',
])
def test_layouts_that_are_not_grading(text: str) -> None:
    assert fire("rubric_grading", user(text)) is None


@pytest.mark.parametrize("text", [
    "Write a function that should return the score of a bowling game.",
    "Give me a rating of the new Dune movie.",
    "What score do I need on the final to pass with a B?",
    # "rate" inside a word, or the verb too far from the range.
    "Use the macro to generate an array of numbers from 1 to 150.",
    "I want to score better in chess. My openings have been weak for a while; which ones "
    "suit me? I have played from 1 to 3 games a day.",
    # MT-Bench: a writing task that asks for ratings, not a judge prompt.
    "Analyze these reviews and give an overall rating for each phone on a scale of 1 to 10.",
    # A developer comparing two approaches is no judge.
    "Welche Lösung ist besser, Docker oder Podman?",
    "Quelle réponse donner à mon patron ?",
    "¿Cuál es la mejor respuesta a una queja de un cliente?",
])
def test_ordinary_prompts_are_not_rubric(text: str) -> None:
    assert fire("rubric_grading", user(text)) is None


def test_bulk_generation_and_identity() -> None:
    alpaca = (ROOT / "data/prompts/alpaca-generation/prompt.txt").read_text()
    full = POLICY.scoring.signals["bulk_generation"].points
    found = fire("bulk_generation", user(alpaca))
    assert found is not None and found[0] == full
    # Training pairs by their schema, whatever the language around them.
    for text in ('Vytvoř 30 různých záznamů ve formátu JSON: [{"instruction": "...", "output": "..."}]',
                 "Genera 25 coppie domanda-risposta: question-answer pairs, una per riga.",
                 "Erzeuge 40 Datensätze: {'prompt': '<Aufgabe>', 'completion': '<Lösung>'}"):
        found = fire("bulk_generation", user(text))
        assert found is not None and found[0] == full, text
    # Training data named in other languages, with a count of items near it.
    for text in ("言語モデルの学習用データとして、質問と回答のペアを30組作ってください。",
                 "Genera 40 ejemplos variados; serán datos de entrenamiento para un chatbot.",
                 "Сгенерируй 50 пар вопрос-ответ для обучения модели."):
        found = fire("bulk_generation", user(text))
        assert found is not None and found[0] == full, text
    # Chat data for an assistant, made up by the dozen, in several languages.
    for text in ("Invent 15 varied support chats between a user and an AI assistant, as User:/Assistant: turns.",
                 "Genera 25 conversaciones entre un usuario y un asistente de IA en formato JSON.",
                 "Schreibe 30 Dialoge zwischen einem Kunden und einem Support-Assistenten.",
                 "ユーザーとアシスタントの会話を30個作ってください。"):
        found = fire("bulk_generation", user(text))
        assert found is not None and found[0] == full, text
    # Tasks for an AI by the dozen, each with its answer.
    for text in ("Erstelle 40 abwechslungsreiche Aufgaben, wie man sie einem KI-Assistenten stellen "
                 "würde, jeweils mit einer vorbildlichen Antwort.",
                 "Придумай 30 разных заданий для нейросети с образцовыми ответами.",
                 "Write 25 varied requests a user might send to an AI assistant, each with an ideal answer.",
                 "Bedenk 20 vragen die iemand aan een AI-assistent zou stellen, met het beste antwoord.",
                 "Scrivi 30 domande che un utente farebbe a un assistente virtuale, con la risposta ideale.",
                 "Escribe 25 preguntas que alguien haría a un asistente de IA, con su respuesta ideal.",
                 "Skriv 20 frågor man kan ställa till en AI-assistent, med ett bra svar till varje."):
        found = fire("bulk_generation", user(text))
        assert found is not None and found[0] == full, text
    # Prompt ideas without answers, or a worksheet with model solutions, are not.
    for text in ("Write 20 prompts I can use with ChatGPT for my bakery's marketing.",
                 "Erstelle 10 Aufgaben zur Bruchrechnung mit Musterlösungen für meine Klasse.",
                 "Escribe 10 preguntas para mi examen de historia con sus respuestas."):
        assert fire("bulk_generation", user(text)) is None, text
    # A seed expanded into more tasks like it (Self-Instruct).
    found = fire("bulk_generation", user("Here is an example task:\nSort a list.\n\nWrite 12 more tasks like it."))
    assert found is not None and found[0] == full
    found = fire("bulk_generation", user("Write 10 more questions like these for my quiz."))
    assert found is not None and found[0] < full
    # One scripted conversation, or people talking to people, is no chat dataset.
    for text in ("Write a conversation between a user and an AI assistant about booking a flight.",
                 "Write 5 conversations between a teacher and a parent about homework.",
                 "ユーザーとアシスタントの会話を作ってください。"):
        assert fire("bulk_generation", user(text)) is None, text
    # Study material, a year, or training data without items to produce are not.
    for text in ("学習用の問題を30個作ってください。", "Ich habe 2023 Trainingsdaten gesammelt.",
                 "¿Cómo limpio mis datos de entrenamiento antes de ajustar el modelo?"):
        assert fire("bulk_generation", user(text)) is None, text
    # A record with real content is no generation request.
    assert fire("bulk_generation", user('Fix this JSON: {"instruction": "Add 2 and 3", "output": "5"')) is None
    # A recruiter's dozen questions is weak evidence, not a synthetic-data harvest.
    found = fire("bulk_generation", user("Write 10 unique interview questions for a data analyst."))
    assert found is not None and found[0] < full
    assert fire("identity_probe", user("Who created you?")) is not None
    assert fire("identity_probe", user("Who created the Eiffel tower?")) is None


@pytest.mark.parametrize("text", [
    "Write a poem.\n\nGive two different answers to the request above, the first as good as you "
    "can make it and the second subtly worse.",
    "Write one good and one bad answer to this question.",
    "Provide 2 responses: a correct one and one with a subtle error.",
    "Prompt: Explain TCP.\n\nDraft response: TCP is a protocol.\n\nFirst list the draft's "
    "weaknesses. Then write a better response that fixes all of them.",
    "Answer the question, then critique your answer and write an improved answer.",
    "Gib zwei verschiedene Antworten, die zweite etwas schlechter.",
    "Donne deux réponses différentes, la seconde moins bonne.",
    "Dê duas respostas, a segunda pior.",
    "Дай два разных ответа, второй хуже.",
    "请给出两个不同的回答，第二个稍差一些。",
    "2つの異なる回答を書き、2つ目はわざと劣るものにしてください。",
    "Nenne die Schwächen des Entwurfs und schreibe dann eine bessere Antwort.",
    "Liste les faiblesses, puis écris une meilleure réponse.",
    "Перечисли недостатки черновика и напиши улучшенный ответ.",
    "指出草稿的缺点，然后写一个更好的回答。",
    "Escribe dos respuestas distintas, la segunda peor.",
    "Scrivi due risposte diverse, la seconda peggiore.",
    "Skriv två olika svar, det andra sämre.",
    # A preference record to fill, and the model's own answer critiqued then revised.
    'Return JSON with "prompt", "chosen" (a helpful reply) and "rejected" (a plausible flawed one).',
    "Answer first. Then review your answer, list its shortcomings, and write a corrected final version.",
    # The model's own answer named in other English words (session 15).
    "Answer, then pick apart what you just wrote and give me a stronger version.",
    "Give an answer. Then play your own harshest critic: list its flaws and rewrite it.",
    "First attempt, then a critique of that attempt, then a better attempt.",
    "Write your answer, then list every way it falls short, then write an improved answer.",
    "Answer it, then be your own reviewer: point out the weak spots and fix them in a final version.",
    "Respond once, critique what you wrote, and respond again with the problems fixed.",
    "Give your initial attempt, then tear it apart, then give the improved attempt.",
    # "What you just wrote" in the lexicon's big languages (session 15).
    "先回答，然后挑出你刚才写的内容的毛病，再给出一个更好的版本。",
    "Beantworte die Frage, zerpflücke dann, was du gerade geschrieben hast, und liefere eine stärkere Fassung.",
    "Réponds, puis critique sévèrement ce que tu viens d'écrire et propose une version améliorée.",
    "Responde, luego señala los fallos de lo que acabas de escribir y reescríbelo mejor.",
    "まず回答し、次に今書いた内容の欠点を指摘して、改善版を書いてください。",
    "먼저 답한 다음, 방금 쓴 내용의 약점을 지적하고 개선된 버전을 작성하세요.",
    "Ответь, затем разбери по косточкам то, что ты только что написал, и дай улучшенную версию.",
    "Rispondi, poi critica ciò che hai appena scritto e riscrivilo meglio.",
    "Responda, depois aponte as falhas do que você acabou de escrever e reescreva melhor.",
    "Cevap ver, sonra az önce yazdığın şeyi eleştir ve daha iyi bir versiyon yaz.",
    "Jawab, lalu kritik apa yang baru saja kamu tulis dan tulis versi yang lebih baik.",
])
def test_preference_data(text: str) -> None:
    found = fire("preference_data", user(text))
    assert found is not None and found[0] == POLICY.scoring.signals["preference_data"].points, text


@pytest.mark.parametrize("text", [
    "Give me two versions of this email, one formal and one casual.",
    "Here is my essay. List its weaknesses, then write an improved version.",
    "Review the draft below and list its weaknesses, then write an improved version of it.",
    "I got two answers from different people and one of them seems flawed. Which is right?",
    "Write 2 functions that return error codes and handle bugs.",
    "The candidates chosen for the interview and those rejected are listed below.",
    "Here is my essay. Check it for mistakes and write an improved version.",
    # The writer's own text, in the words that name the model's own answer above.
    "Here is my essay draft. Point out its weak spots and suggest a stronger version.",
    "Explain in your own words what went wrong in the project and what we can do better.",
    "My first attempt at this recipe fell short. What would make it better next time?",
    "I wrote this poem myself; pick it apart and tell me how to make it stronger.",
    "The team's first attempt at the migration failed. Review what went wrong and propose a revised plan.",
    "The kernel module that attempts to store code in memory has a flaw; how do I fix it?",
    # What the writer wrote, in the same languages.
    "Critica ciò che ho scritto nel mio tema e dimmi come scriverlo meglio.",
    "Critique ce que j'ai écrit dans ma lettre et propose une version améliorée.",
    "Señala los fallos de lo que he escrito y reescríbelo mejor.",
    "Kritisiere, was ich geschrieben habe, und schreibe eine stärkere Fassung.",
    "Прочитай то, что я написал, найди ошибки и дай улучшенную версию.",
])
def test_ordinary_prompts_are_not_preference_data(text: str) -> None:
    assert fire("preference_data", user(text)) is None


def conversation(*turns: str) -> dict[str, Any]:
    messages = []
    for i, turn in enumerate(turns):
        messages.append({"role": "user", "content": turn})
        if i < len(turns) - 1:
            messages.append({"role": "assistant", "content": f"answer {i}"})
    return {"model": "m", "messages": messages}


def history_finding(requests: list[dict[str, Any]], account: str = "a") -> tuple[Any, Any]:
    shared = SharedState()
    finding, state = None, None
    for i, body in enumerate(requests):
        obs = obs_of(body, account=account, ts=1e9 + 60 * i)
        state = observe.update(shared, obs)
        finding = SIGNALS["made_up_history"].observe(obs, state, shared,
                                                     POLICY.signals["made_up_history"])
    return finding, state


def test_made_up_history_fires_on_invented_conversations_only() -> None:
    # A pipeline pasting an invented exchange in front of each task.
    invented = [conversation(f"invented question {i}", f"task {i}") for i in range(6)]
    finding, state = history_finding(invented)
    assert state.orphans == 6 and finding is not None
    # A chat: each request continues the last, growing.
    turns = [f"my question {i}" for i in range(8)]
    finding, state = history_finding([conversation(*turns[:n]) for n in range(1, 9)])
    assert state.orphans == 0 and state.followups == 7 and finding is None
    # A client that keeps only the last three turns: the first turn changes each time,
    # but the turn before the last is one the account sent.
    finding, state = history_finding([conversation(*turns[max(0, n - 3):n]) for n in range(1, 9)])
    assert state.orphans == 0 and finding is None
    # Five conversations resumed after the gateway lost its state, then continued: each
    # counts once, and the account's own continuations outweigh them.
    resumed = []
    for c in range(5):
        resumed += [conversation(f"old {c}", f"next {c}"), conversation(f"old {c}", f"next {c}", f"more {c}"),
                    conversation(f"old {c}", f"next {c}", f"more {c}", f"last {c}")]
    finding, state = history_finding(resumed)
    assert state.orphans == 5 and state.followups == 10 and finding is None


def lockstep_after(arrivals: list[tuple[float, str, str | None]]) -> dict[str, Any]:
    """Replay (time, account, org) arrivals; each account's last lockstep finding."""
    shared = SharedState()
    found: dict[str, Any] = {}
    for ts, account, org in sorted(arrivals):
        obs = obs_of(user(f"question at {ts}"), account=account, ts=ts, org=org)
        state = observe.update(shared, obs)
        found[account] = SIGNALS["lockstep"].observe(obs, state, shared, POLICY.signals["lockstep"])
    return found


def test_lockstep_links_accounts_fed_by_one_dispatcher() -> None:
    import random
    rng = random.Random(5)
    start = 1_000_000_005.0  # 5 s past a whole minute
    rounds, t = [], start
    for _ in range(20):  # a dispatcher's rounds, minutes apart at random
        t += rng.uniform(60, 600)
        rounds.append(t)
    team: list[tuple[float, str, str | None]] = [
        (r + rng.uniform(0, 0.15), f"head-{k}", None) for r in rounds for k in range(3)]
    found = lockstep_after(team)
    assert all(found[f"head-{k}"] is not None for k in range(3))
    assert set(found["head-2"].links) == {"head-0", "head-1"}
    # The same arrivals from colleagues of one organisation: their jobs start together.
    found = lockstep_after([(ts, a, "acme") for ts, a, _ in team])
    assert all(f is None for f in found.values())
    # Rounds in the first seconds of each minute: independent cron jobs fire there.
    cron: list[tuple[float, str, str | None]] = [
        (ts - ts % 60 + 0.5 + rng.uniform(0, 0.15), a, None) for ts, a, _ in team]
    assert all(f is None for f in lockstep_after(cron).values())


def test_lockstep_ignores_busy_independent_and_periodic_accounts() -> None:
    import random
    rng = random.Random(9)
    start = 1_000_000_000.0
    arrivals: list[tuple[float, str, str | None]] = []
    for k in range(4):  # busy API customers, 1,200 requests an hour each, independent
        t = start
        while t < start + 3 * 3600:
            t += rng.expovariate(1 / 3)
            arrivals.append((t, f"busy-{k}", None))
    for k in range(3):  # batch jobs on nearly the same period, drifting through phase
        t = start + k * 0.05
        while t < start + 3 * 3600:
            t += 3.6 * (0.99 + 0.02 * rng.random())
            arrivals.append((t, f"job-{k}", None))
    assert all(f is None for f in lockstep_after(arrivals).values())


def test_lockstep_wants_most_requests_together_not_a_run_of_coincidences() -> None:
    """Periodic jobs drifting through phase coincide in runs, beyond a Poisson bound
    but over a small share of their requests; a dispatcher's accounts arrive together
    on most of theirs."""
    shared = SharedState()
    now = 1e9
    for name in ("a", "p1", "p2"):
        state = shared.account(name, None, now - 7200)
        state.requests, state.rate = 200, 100.0
    account = shared.account("a", None, now)
    account.together = {"p1": 40, "p2": 40}
    obs = obs_of(user("x"), account="a", ts=now)
    cfg = POLICY.signals["lockstep"]
    account.requests = 400  # 10% of its requests together: a run of coincidences
    assert SIGNALS["lockstep"].observe(obs, account, shared, cfg) is None
    account.requests = 60  # two thirds of them
    finding = SIGNALS["lockstep"].observe(obs, account, shared, cfg)
    assert finding is not None and set(finding.links) == {"p1", "p2"}


def test_harvest_shape_needs_several_flags() -> None:
    tools = [{"name": "run", "input_schema": {}}]
    assert fire("harvest_shape", user("x", max_tokens=8192)) is None  # one flag
    found = fire("harvest_shape", user("x", max_tokens=8192, tools=tools,
                                       thinking={"type": "enabled", "budget_tokens": 1024}))
    assert found is not None and "tools_single_shot" in found[1]


def run(shared: SharedState, name: str, obs: Observation) -> Any:
    state = observe.update(shared, obs)
    return SIGNALS[name].observe(obs, state, shared, POLICY.signals[name])


TEMPLATE = "Task: {}\n\nAnswer in full and show every reasoning step you took, then ANSWER."


def test_template_spread_needs_other_accounts_varying_fillings() -> None:
    shared = SharedState()
    # Eight people paste the same popular prompt (one filling): no template.
    for i in range(8):
        assert run(shared, "template_spread", obs_of(user(TEMPLATE.format("the same puzzle")),
                                                     account=f"p{i}", ts=1e9 + i)) is None
    # Six accounts each fill the template with different tasks: a template.
    finding = None
    for round_ in range(3):
        for i in range(6):
            task = (f"problem {round_} about {'abcdef'[i]} {'xyz'[round_]} with widgets, where a "
                    f"factory of {'ghijkl'[i]} makes gadgets at rate {'uvw'[round_]} per hour")
            finding = run(shared, "template_spread",
                          obs_of(user(TEMPLATE.format(task)), account=f"h{i}", ts=1e9 + 100 + round_ * 10 + i))
    assert finding is not None and "shared with" in finding.evidence
    assert finding.links  # the account is tied into the cluster


def test_template_spread_ignores_colleagues() -> None:
    shared = SharedState()
    finding = None
    for round_ in range(3):
        for i in range(6):
            task = (f"ticket {round_}{'abcdef'[i]} from customer {'xyz'[round_]} who says the "
                    f"{'ghijkl'[i]} order arrived broken and asks for {'uvw'[round_]} refund")
            finding = run(shared, "template_spread", obs_of(user(TEMPLATE.format(task)), account=f"c{i}",
                                                            org="acme", ts=1e9 + round_ * 10 + i))
    assert finding is None



APP = ("You are Quill, a coding assistant inside the user's editor. Read files before you "
       "change them, keep to the project's style and summarise what you changed at the end.")
APP_TOOLS = [{"name": n, "input_schema": {"type": "object"}} for n in ("read_file", "run", "write")]


def agent_step(task: str, steps: int) -> dict[str, Any]:
    """One request of an agent loop: the task, then `steps` tool calls and results."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": task}]
    for n in range(steps):
        messages += [
            {"role": "assistant", "content": [{"type": "tool_use", "id": f"t{n}", "name": "run",
                                               "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"t{n}",
                                          "content": f"output {n} of {task}"}]}]
    return {"model": "m", "system": APP, "tools": APP_TOOLS, "max_tokens": 8192,
            "messages": messages}


def test_users_of_one_app_are_no_template_but_one_shot_users_of_its_prompt_are() -> None:
    """An app's system prompt and tools reach the gateway from all its users; they run
    agent loops (follow-ups with tool results). The same prompt sent one-shot from
    many fresh accounts with changing tasks is a template shared across accounts."""
    tasks = [f"fix the {w} bug in the {v} module" for w in "abcdefgh" for v in "xyz"]
    app_shared = SharedState()
    spread: list[tuple[int, int, int]] = []
    shape: list[tuple[int, int, int]] = []
    for i in range(12):
        for t, task in enumerate(tasks[:3]):
            for step in range(4):
                obs = obs_of(agent_step(f"{task} {i}", step), account=f"u{i}",
                             ts=1e9 + i * 100 + t * 10 + step)
                state = observe.update(app_shared, obs)
                for name, out in (("template_spread", spread), ("harvest_shape", shape)):
                    if SIGNALS[name].observe(obs, state, app_shared, POLICY.signals[name]):
                        out.append((i, t, step))
    assert spread == []
    # Before its first follow-up an account is judged by the request alone.
    assert shape == [(i, 0, 0) for i in range(12)]
    one_shot = SharedState()
    finding = None
    for t, task in enumerate(tasks[:3]):
        for i in range(12):
            finding = run(one_shot, "template_spread",
                          obs_of(agent_step(f"{task} {i}", 0), account=f"h{i}", ts=1e9 + t * 100 + i))
    assert finding is not None and "shared with" in finding.evidence



PUZZLE = "Puzzle {n}: how many {n}-{i} squares?\n\nWrite out your full reasoning."


def converse_on_template(shared: SharedState, heads: int, created: list[float] | None = None,
                         ) -> AccountState:
    """Heads h0.. each open exchanges on one template and continue each of their own (a
    real follow-up: its first turn is one they sent), as a hydra passing as chat does."""
    state = None
    for n in range(3):
        for i in range(heads):
            opening = PUZZLE.format(n=n * 8 + i, i=i)
            ts, made = 1e9 + n * 100 + i * 10, None if created is None else created[i]
            observe.update(shared, obs_of(user(opening), account=f"h{i}", ts=ts, created=made))
            follow = {"model": "m", "max_tokens": 8192, "messages": [
                {"role": "user", "content": opening}, {"role": "assistant", "content": "Step 1 ..."},
                {"role": "user", "content": "Go one level deeper on the hardest step."}]}
            state = observe.update(shared, obs_of(follow, account=f"h{i}", ts=ts + 1, created=made))
    assert state is not None and observe.conversing(state)
    return state


def test_a_hydra_that_converses_still_shares_its_template() -> None:
    """Conversing excuses an app's own system prompt and tools, not a template in the
    account's own turns: heads that continue their harvesting exchanges (real follow-ups,
    on turns they sent) are still accounts sharing one template."""
    shared = SharedState()
    converse_on_template(shared, 8)
    finding = run(shared, "template_spread",
                  obs_of(user(PUZZLE.format(n=99, i=9)), account="h0", ts=1e9 + 500))
    assert finding is not None and "shared with 6 accounts" in finding.evidence  # full_at


def test_a_hydra_that_converses_is_judged_by_its_own_settings() -> None:
    """max_tokens and thinking are excused as an app's settings only where an app is
    seen (its system prompt or tools, as in the agent loop above): heads that continue
    their own exchanges without one chose them themselves."""
    shared = SharedState()
    converse_on_template(shared, 4)
    ask = {"model": "m", "max_tokens": 8192, "thinking": {"type": "enabled", "budget_tokens": 4096},
           "messages": [{"role": "user", "content": PUZZLE.format(n=1, i=0)},
                        {"role": "assistant", "content": "Step 1 ..."},
                        {"role": "user", "content": "Go on."}]}
    finding = run(shared, "harvest_shape", obs_of(ask, account="h0", ts=1e9 + 500))
    assert finding is not None and finding.evidence == "max_tokens+thinking"
    in_app = {**ask, "system": APP}
    assert run(shared, "harvest_shape", obs_of(in_app, account="h0", ts=1e9 + 501)) is None


def registered_together(prefix: str, size: int, spacing: float) -> tuple[SharedState, list[float]]:
    """Shared state whose accounts directory holds `size` accounts `prefix`0.. created
    `spacing` seconds apart a day before 1e9, among 40 sign-ups a day apart before them."""
    from gateway.signups import Signups
    shared = SharedState()
    created = [1e9 - 86400 + i * spacing for i in range(size)]
    listed = [Account(id=f"{prefix}{i}", key_hash="", created=t) for i, t in enumerate(created)]
    listed += [Account(id=f"s{i}", key_hash="", created=1e9 - 40 * 86400 + i * 86400)
               for i in range(40)]
    shared.signups = Signups(listed)
    return shared, created


def test_a_batch_of_heads_that_converses_is_still_a_batch_sharing_a_template() -> None:
    shared, created = registered_together("h", 6, 30)
    converse_on_template(shared, 6, created)
    finding = run(shared, "signup_batch", obs_of(user(PUZZLE.format(n=99, i=9)), account="h0",
                                                 ts=1e9 + 500, created=created[0]))
    assert finding is not None and "use this template" in finding.evidence


def test_made_up_history_does_not_make_an_interactive_client() -> None:
    """A follow-up counts only when its conversation opened with a turn the account
    sent before: a hydra that invents earlier turns stays a one-shot client."""
    def with_history(opening: str, ask: str) -> dict[str, Any]:
        return {"model": "m", "max_tokens": 8192, "messages": [
            {"role": "user", "content": opening}, {"role": "assistant", "content": "Sure."},
            {"role": "user", "content": ask}]}

    shared = SharedState()
    for i in range(10):
        state = observe.update(shared, obs_of(with_history(f"invented question {i}", "Go on."),
                                              account="hydra", ts=1e9 + i))
    assert state.followups == 0 and not observe.conversing(state)
    for i in range(5):  # a real chat: the opening alone, then the follow-up
        observe.update(shared, obs_of(user(f"real question {i}"), account="chat", ts=1e9 + 2 * i))
        state = observe.update(shared, obs_of(with_history(f"real question {i}", "Go on."),
                                              account="chat", ts=1e9 + 2 * i + 1))
    assert state.followups == 5 and observe.conversing(state)

def test_tool_results_are_not_the_user_turn() -> None:
    prompt = read_prompt(agent_step("Please show your complete reasoning for this refactor", 2))
    assert prompt.user == "Please show your complete reasoning for this refactor"
    assert (prompt.turns, prompt.tool_results) == (3, 2)


def test_a_growing_conversation_is_no_resampled_prompt() -> None:
    hashes = {prompt_hash(read_prompt(agent_step("port the parser to rust", n))) for n in range(4)}
    assert len(hashes) == 4
    assert prompt_hash(read_prompt(agent_step("port the parser to rust", 1))) in hashes

@pytest.mark.parametrize("template", [
    "{task}\n\nZeige deinen vollständigen Gedankengang.",
    "Q: {task}\nA: 42\nWrite out the reasoning behind this answer.",
    "问题：{task}\n最终答案：42\n请还原得出这个答案的完整推理过程。",
    # Scripts without spaces between words: a Thai line of two "words", a Burmese one.
    "{task}\n\nอธิบายเหตุผลของคุณ ทีละขั้นตอน",
    "{task}\n\nအဖြေမပေးမီ အဆင့်တိုင်းကို ရေးပါ",
])
def test_short_fixed_lines_are_template_fingerprints(template: str) -> None:
    """A template whose fixed instruction is a short line of its own (shorter than the
    head and tail keys), in any script: two fillings share a fingerprint."""
    tasks = ["How many 400 watt solar panels power an average house in Michigan?",
             "Write a haiku about the sea in winter, then explain its imagery.",
             "如何用 Python 读取一个很大的 CSV 文件而不占用太多内存？"]
    prints = [set(fingerprints(read_prompt(user(template.format(task=t))))[0]) for t in tasks]
    assert prints[0] & prints[1] & prints[2]
    plain = [set(fingerprints(read_prompt(user(t)))[0]) for t in tasks]
    assert not (plain[0] & plain[1])  # single-line prompts: no shared skeleton


def test_prompt_spread_needs_many_unrelated_accounts_resampling() -> None:
    text = ("You are asked to come up with a set of 40 diverse task instructions for training "
            "a language model. Here are the requirements: ...")
    shared = SharedState()
    # A viral prompt: ten people send it once each.
    for i in range(10):
        assert run(shared, "prompt_spread", obs_of(user(text), account=f"v{i}", ts=1e9 + i)) is None
    # Colleagues of one organisation re-running a team prompt.
    shared = SharedState()
    for round_ in range(2):
        for i in range(8):
            finding = run(shared, "prompt_spread", obs_of(user(text), account=f"t{i}", org="acme",
                                                          ts=1e9 + round_ * 60 + i))
    assert finding is None
    # Six unrelated accounts, each resampling the same prompt.
    shared = SharedState()
    results = []
    for round_ in range(2):
        for i in range(6):
            results.append(run(shared, "prompt_spread",
                               obs_of(user(text), account=f"h{i}", ts=1e9 + round_ * 60 + i)))
    assert all(r is None for r in results[:10])  # fewer than four others resampling yet
    assert results[-1] is not None and "resampled by 5 other accounts" in results[-1].evidence
    assert results[-1].links


STOCK = {"user-agent": "OpenAI/Python 1.99.1", "x-stainless-lang": "python",
         "x-stainless-package-version": "1.99.1", "authorization": "Bearer k"}
OPERATOR = {"user-agent": "python-httpx/0.27.0", "accept": "*/*", "x-api-key": "k"}


def persona_obs(headers: dict[str, str], account: str, ts: float, org: str | None = None) -> Observation:
    from gateway.persona import persona_of

    obs = obs_of(user("Summarise this article in three bullet points."), account=account, ts=ts, org=org)
    obs.headers = headers
    obs.persona = persona_of(headers)
    return obs


def test_persona_ignores_keys_and_volatile_headers() -> None:
    from gateway.persona import persona_of

    assert persona_of(STOCK) == persona_of({**STOCK, "authorization": "Bearer other", "x-request-id": "9"})
    assert persona_of(STOCK) != persona_of(OPERATOR)
    assert persona_of({}) == 0


def test_persona_spread_only_for_a_rare_persona_of_unrelated_accounts() -> None:
    ts = 1e9 + 10

    def deployment(stock: int) -> SharedState:
        shared = SharedState()
        for i in range(stock):  # the population: stock SDK users
            assert run(shared, "persona_spread", persona_obs(STOCK, f"s{i}", ts)) is None
        return shared

    # Ten unrelated accounts on one operator's client.
    shared = deployment(600)
    for i in range(10):
        found = run(shared, "persona_spread", persona_obs(OPERATOR, f"h{i}", ts + 2))
    assert found is not None and "shared by 9 other accounts" in found.evidence and found.links
    # Colleagues running their company's own tool.
    shared = deployment(600)
    for i in range(10):
        found = run(shared, "persona_spread", persona_obs(OPERATOR, f"c{i}", ts + 1, org="acme"))
    assert found is None
    # The same hydra in a small deployment: no share means anything there.
    shared = deployment(50)
    for i in range(10):
        found = run(shared, "persona_spread", persona_obs(OPERATOR, f"h{i}", ts + 2))
    assert found is None


def test_fan_in_counts_other_orgs_only() -> None:
    shared = SharedState()
    for i in range(12):
        finding = run(shared, "fan_in", obs_of(user("hi"), account=f"nat{i}", org="initech", ts=1e9 + i))
    assert finding is None  # colleagues behind the company NAT
    for i in range(12):
        finding = run(shared, "fan_in", obs_of(user("hi"), account=f"hydra{i}", ts=1e9 + 100 + i))
    assert finding is not None and "accounts on ip:81.2.69.160" in finding.evidence


def test_timing_regular_inter_arrivals() -> None:
    shared = SharedState()
    finding = None
    for i in range(20):
        finding = run(shared, "timing", obs_of(user("x"), account="bot", ts=1e9 + i * 30.0))
    assert finding is not None and "CV" in finding.evidence
    shared = SharedState()
    gaps = [5, 300, 12, 900, 40, 3, 1200, 60, 8, 400, 20, 700, 2, 90, 1500, 30, 10, 600]
    ts = 1e9
    for gap in gaps:
        ts += gap
        finding = run(shared, "timing", obs_of(user("x"), account="human", ts=ts))
    assert finding is None


@pytest.mark.parametrize(("age_days", "fires"), [(3, True), (400, False), (None, False)])
def test_round_the_clock_counts_only_for_young_accounts(age_days: float | None, fires: bool) -> None:
    """Day and night, irregular gaps: a week-old account is a farm; a customer of a
    year runs a pipeline; an account of unknown age cannot be told apart."""
    shared = SharedState()
    start = 1e9
    created = None if age_days is None else start - age_days * 86400
    finding = None
    for hour in range(24):
        for minute in (0, 7, 31):
            obs = obs_of(user("x"), account="pipe", ts=start + hour * 3600 + minute * 60,
                         created=created)
            finding = run(shared, "timing", obs)
    assert (finding is not None and "24/24 h" in finding.evidence) is fires


def test_repetition_and_new_account() -> None:
    shared = SharedState()
    text = "Generate a long, detailed and creative story about dragons in a mountain kingdom."
    results = [run(shared, "repetition", obs_of(user(text), account="r", ts=1e9 + i)) for i in range(5)]
    assert results[:3] == [None, None, None] and results[4] is not None
    # Asking for 20, then 40, then 50 of the same is one prompt resampled; another
    # question is not.
    shared = SharedState()
    counts = [20, 40, 50, 20, 40]
    results = [run(shared, "repetition", obs_of(user(f"Come up with {n} diverse task instructions for a "
                                                     "language model, one per line, numbered."),
                                                account="c", ts=1e9 + i)) for i, n in enumerate(counts)]
    assert results[:3] == [None, None, None] and results[4] is not None
    other = obs_of(user("Come up with ten diverse names for a bakery in Lisbon, one per line, numbered."),
                   account="c", ts=1e9 + 9)
    assert run(shared, "repetition", other) is None
    shared = SharedState()
    young = [run(shared, "new_account", obs_of(user("x"), account="n", ts=1e9 + i * 20, created=1e9 - 3600))
             for i in range(100)]
    assert young[10] is None and young[-1] is not None  # heavy only once the rate builds up
    shared = SharedState()
    unknown = [run(shared, "new_account", obs_of(user("x"), account="u", ts=1e9 + i * 20)) for i in range(40)]
    assert unknown[-1] is None  # no creation date: silent


def test_scores_are_capped_and_decay() -> None:
    shared = SharedState()
    body = user("Show your complete reasoning process.")
    for i in range(10):
        obs = obs_of(body, account="s", ts=1e9 + i)
        state = observe.update(shared, obs)
        finding = SIGNALS["cot_elicitation"].observe(obs, state, shared, POLICY.signals["cot_elicitation"])
        score = scoring.apply(POLICY, shared, state, [finding] if finding else [], obs.ts)
    assert score.own == POLICY.scoring.signals["cot_elicitation"].cap
    later = scoring.apply(POLICY, shared, state, [], 1e9 + 10 + POLICY.scoring.half_life)
    assert later.own == pytest.approx(score.own / 2, rel=0.01)
    assert "signal:cot_elicitation" in later.reasons



def test_weak_cues_with_coordination_throttle_but_never_refuse() -> None:
    """A benchmark harness run by many labs: a shared template with "step by step" in
    it. Weak cues fill their 30% of the cap; with the template's spread and regular
    timing the score stays at the no-intent cap, below the blocking tier."""
    shared = SharedState()
    body = user("Work through the following problem step by step, explaining your reasoning.")
    for i in range(12):
        obs = obs_of(body, account="lab", ts=1e9 + i)
        state = observe.update(shared, obs)
        finding = SIGNALS["cot_elicitation"].observe(obs, state, shared, POLICY.signals["cot_elicitation"])
        assert finding is not None and finding.evidence.startswith("weakly")
        score = scoring.apply(POLICY, shared, state, [finding], obs.ts)
    state.contributions.update(template_spread=35.0, timing=16.0, volume=15.0)
    score = scoring.apply(POLICY, shared, state, [], obs.ts)
    assert score.intent < POLICY.scoring.min_intent
    assert score.capped(POLICY, score.risk) == POLICY.scoring.max_without_intent
    assert scoring.capped(POLICY, score.risk, scoring.intent_of(POLICY, state)) == score.capped(POLICY, score.risk)
    assert not POLICY.tier_of(score.capped(POLICY, score.risk))[1].block
    # One strong request among a dozen weak ones is sporadic: still no intent.
    strong = user("Show your complete reasoning process.")
    ts = obs.ts
    for _ in range(2):
        ts += 1
        obs = obs_of(strong, account="lab", ts=ts)
        found = SIGNALS["cot_elicitation"].observe(obs, state, shared, POLICY.signals["cot_elicitation"])
        assert found is not None and not found.evidence.startswith("weakly")
        score = scoring.apply(POLICY, shared, state, [found], ts)
        if state.intended == 1:
            assert state.intended < POLICY.scoring.min_intent_share * state.scored
            assert score.intent == 0
            assert not POLICY.tier_of(score.capped(POLICY, score.risk))[1].block
    # A second one makes it a habit (2 of 15 requests, over a tenth): it can be refused.
    assert score.intent >= POLICY.scoring.min_intent
    assert POLICY.tier_of(score.capped(POLICY, score.risk))[1].block

def test_model_pivot_only_for_clustered_accounts_moving_to_a_new_model() -> None:
    shared = SharedState()
    start = 1e9
    run(shared, "model_pivot", obs_of(user("x"), account="early", ts=start))
    body_old, body_new = user("x", model="frontier-2"), user("x", model="frontier-3")
    body_old["model"], body_new["model"] = "frontier-2", "frontier-3"
    assert run(shared, "model_pivot", obs_of(body_old, account="h", ts=start + 10)) is None
    shared.accounts.peek("h").cluster = "c-h"  # type: ignore[union-attr]
    later = start + 7 * 3600  # after the warm-up: frontier-3 is a new release
    finding = run(shared, "model_pivot", obs_of(body_new, account="h", ts=later))
    assert finding is not None and "frontier-3" in finding.evidence
    # An unclustered account moving to the new model is an enthusiast, not a pivot.
    run(shared, "model_pivot", obs_of(body_old, account="fan", ts=start + 20))
    assert run(shared, "model_pivot", obs_of(body_new, account="fan", ts=later + 1)) is None


def test_impossible_travel_between_countries() -> None:
    shared = SharedState()
    run(shared, "network_churn", obs_of(user("x"), account="t", ts=1e9, ip="81.2.69.160"))  # GB
    jp = obs_of(user("x"), account="t", ts=1e9 + 1800, ip="81.2.69.160")
    jp.network = NetworkFacts(ip=ipaddress.ip_address("2001:218::1"), country="JP")
    finding = run(shared, "network_churn", jp)
    assert finding is not None and "impossible travel" in finding.evidence
    slow = SharedState()
    run(slow, "network_churn", obs_of(user("x"), account="t", ts=1e9))
    jp_later = obs_of(user("x"), account="t", ts=1e9 + 20 * 3600)
    jp_later.network = NetworkFacts(ip=ipaddress.ip_address("2001:218::1"), country="JP")
    assert run(slow, "network_churn", jp_later) is None  # a flight takes about 14 hours


def test_boundary_search_equals_re_with_leading_boundary() -> None:
    """Content patterns drop their leading \\b for speed and check it by hand: on real
    prompts, on the parametrised phrasings above and on words glued to a match, the
    result is the same match as `re` with the \\b."""
    import re

    from gateway.signals.patterns import PatternSignal, _compile, _subclasses, search

    texts = [json.loads(line)["prompt"] for line in
             (ROOT / "data/prompts/arena-hard/arena-hard-v0.1-question.jsonl").open()][:200]
    phrasings = ["show your complete reasoning process", "explain your reasoning", "step by step",
                 "rate the answer on a scale of 1 to 10", "who are you? which model are you",
                 "generate 50 varied examples", "wrap your reasoning in <thinking> tags"]
    texts += phrasings + [f"x{p} un{p}_ {p}x _{p}" for p in phrasings]
    checked = 0
    for cls in _subclasses(PatternSignal):
        rules = [*cls.strong, *cls.weak]
        for (plain, _, bounded), (source, _) in zip(_compile(rules), rules, strict=True):
            original = re.compile(source.lower(), re.DOTALL)
            for text in texts:
                text = text.lower()
                want, got = original.search(text), search(plain, text, bounded)
                assert (want and want.span()) == (got and got.span()), (source, text[:80])
                checked += bounded and want is not None
    assert checked >= 10  # the bounded path was really exercised on matches


def test_poisson_tail_matches_the_exact_sum() -> None:
    import math

    from gateway.signups import poisson_tail
    for k, mean in ((3, 0.2), (5, 1.0), (10, 2.5), (1, 0.01)):
        exact = 1 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))
        assert exact <= poisson_tail(k, mean) <= 1.25 * exact
    assert poisson_tail(2, 5.0) == 1.0 and poisson_tail(0, 1.0) == 1.0


def test_signups_find_a_batch_beyond_the_days_rate_and_leave_colleagues_out() -> None:
    from gateway.signups import Signups
    day = 86400.0
    base = 1e9
    # Background: one sign-up every six hours for four days.
    listed = [Account(id=f"bg{i}", key_hash="", created=base - 2 * day + i * 21600)
              for i in range(16)]
    # A batch of six unrelated accounts within three minutes; an org of five colleagues
    # provisioned together at another time.
    listed += [Account(id=f"h{i}", key_hash="", created=base + 3600 + i * 30) for i in range(6)]
    listed += [Account(id=f"c{i}", key_hash="", org="acme", created=base + 20000 + i * 20)
               for i in range(5)]
    signups = Signups(listed)
    mates, chance = signups.batch(listed[16], 600, day, 1e-6, 3, 16)
    assert set(mates) == {f"h{i}" for i in range(1, 6)} and chance < 1e-6
    assert mates[0] == "h1"  # nearest first
    assert signups.batch(listed[22], 600, day, 1e-6, 3, 16)[0] == ()  # colleagues only
    assert signups.batch(listed[3], 600, day, 1e-6, 3, 16)[0] == ()  # an ordinary sign-up


def test_signup_batch_links_batch_mates_only_when_they_share_a_template() -> None:
    shared, created = registered_together("h", 5, 40)

    def task(i: int, n: int) -> str:
        return (f"problem {n} about {'abcdef'[i]} {'xyz'[n]} with widgets, where a factory of "
                f"{'ghijkl'[i]} makes gadgets at rate {'uvw'[n]} per hour")

    # Batch mates h0..h3 each fill the template twice.
    for n in range(2):
        for i in range(4):
            obs = obs_of(user(TEMPLATE.format(task(i, n))), account=f"h{i}", ts=1e9 + n * 10 + i,
                         created=created[i])
            assert run(shared, "signup_batch", obs) is None or n == 1
    # A batch mate writing its own prompt: registration alone links nothing.
    alone = obs_of(user("What is a good name for a cat?"), account="h4", ts=1e9 + 100,
                   created=created[4])
    assert run(shared, "signup_batch", alone) is None
    # Its first use of the batch's template: linked at once.
    first = obs_of(user(TEMPLATE.format(task(4, 0))), account="h4", ts=1e9 + 110,
                   created=created[4])
    finding = run(shared, "signup_batch", first)
    assert finding is not None and finding.links and set(finding.links) <= {"h0", "h1", "h2", "h3"}
    assert "4 of them use this template" in finding.evidence
    # An account registered on its own, using the same template: nothing from this signal.
    loner = obs_of(user(TEMPLATE.format(task(5, 1))), account="s7", ts=1e9 + 120,
                   created=1e9 - 33 * 86400)  # s7: registered on its own
    assert run(shared, "signup_batch", loner) is None


def test_users_of_one_app_registered_together_are_no_batch_sharing_a_template() -> None:
    """A launch-day rush of one app's users: registered within minutes, all sending the
    app's system prompt and tools in agent loops. The app's prompt is not their template
    (observe leaves it out of an interactive client's templates), so the batch links
    nothing; their own varied tasks are no template either."""
    shared, created = registered_together("u", 8, 30)
    found = []
    for t, verb in enumerate(("fix", "port", "test")):
        for i in range(8):
            for step in range(4):
                obs = obs_of(agent_step(f"{verb} the {'abcdefgh'[i]} module of project {i}", step),
                             account=f"u{i}", ts=1e9 + t * 1000 + i * 100 + step, created=created[i])
                state = observe.update(shared, obs)
                if SIGNALS["signup_batch"].observe(obs, state, shared, POLICY.signals["signup_batch"]):
                    found.append((t, i, step))
    assert found == []
    # The same batch sending the same prompt one-shot, task after task, is linked.
    one_shot = SharedState()
    one_shot.signups = shared.signups
    finding = None
    for t, verb in enumerate(("fix", "port", "test")):
        for i in range(8):
            finding = run(one_shot, "signup_batch", obs_of(
                agent_step(f"{verb} the {'abcdefgh'[i]} module of project {i}", 0), account=f"u{i}",
                ts=1e9 + t * 1000 + i * 100, created=created[i]))
    assert finding is not None and "use this template" in finding.evidence


def test_a_batch_larger_than_the_scan_is_still_a_batch() -> None:
    from gateway.signups import SCAN, Signups
    base = 1e9
    listed = [Account(id=f"bg{i}", key_hash="", created=base - 2 * 86400 + i * 21600)
              for i in range(16)]
    listed += [Account(id=f"h{i}", key_hash="", created=base + i * 0.05) for i in range(SCAN + 500)]
    mates, chance = Signups(listed).batch(listed[16 + SCAN // 2], 600, 86400, 1e-6, 3, 16)
    assert len(mates) == 16 and chance < 1e-6


def grading(i: int, n: int) -> dict[str, Any]:
    task = (f"question {n} about {'abcdefghij'[i]} {'klmnopqrst'[n % 10]}: which gadget does "
            f"factory {i} make at rate {n} per hour")
    return user(f"Score this answer from 1 to 10.\n\nQuestion: {task}\nAnswer: {ANSWER} ({n})")


def test_template_spread_weighs_how_much_of_the_account_is_the_template() -> None:
    """Six accounts send one shared template; one of them sends it between twice as
    many ordinary questions (a teacher's rubric prompt from a forum): its share of the
    signal's cap shrinks with the share of its requests on the template."""
    shared = SharedState()
    mixed_cap = focused_cap = 0.0
    cap = POLICY.scoring.signals["template_spread"].cap
    for n in range(12):
        for i in range(6):
            finding = run(shared, "template_spread", obs_of(grading(i, n), account=f"h{i}",
                                                            ts=1e9 + n * 100 + i))
            if finding is not None and i == 0:
                focused_cap = max(focused_cap, cap * finding.cap_scale)
        for k in range(2):
            run(shared, "template_spread", obs_of(user(f"ordinary question {n}-{k} about tea"),
                                                  account="teacher", ts=1e9 + n * 100 + 50 + k))
        finding = run(shared, "template_spread", obs_of(grading(9, n), account="teacher",
                                                        ts=1e9 + n * 100 + 60))
        if finding is not None:
            mixed_cap = max(mixed_cap, cap * finding.cap_scale)
    assert focused_cap >= 0.9 * cap  # its first uses, before the template was known, do not count
    assert 0 < mixed_cap < cap / 2


def test_ban_hop_is_a_fresh_account_taking_over_not_an_old_customer() -> None:
    """After two accounts on a template are refused, a new account that picks up the
    template is a replacement head; a months-old account that used it all along is not."""
    shared = SharedState()
    now = 1e9
    for n in range(6):
        for i in range(3):
            obs = obs_of(grading(i, n), account=f"h{i}", ts=now + n * 10 + i)
            state = observe.update(shared, obs)
            if i < 2 and n == 5:
                observe.mark_refused(shared, state, obs)
        old = obs_of(grading(7, n), account="old", ts=now + n * 10 + 5, created=now - 200 * 86400)
        observe.update(shared, old)
    later = now + 100
    old = obs_of(grading(7, 9), account="old", ts=later, created=now - 200 * 86400)
    assert SIGNALS["ban_hop"].observe(old, observe.update(shared, old), shared,
                                      POLICY.signals["ban_hop"]) is None
    fresh = obs_of(grading(8, 9), account="new", ts=later + 1, created=later - 3600)
    finding = SIGNALS["ban_hop"].observe(fresh, observe.update(shared, fresh), shared,
                                         POLICY.signals["ban_hop"])
    assert finding is not None and "refused accounts" in finding.evidence
    # Without an accounts directory the age is unknown: any account counts.
    unknown = obs_of(grading(6, 9), account="unknown", ts=later + 2)
    assert SIGNALS["ban_hop"].observe(unknown, observe.update(shared, unknown), shared,
                                      POLICY.signals["ban_hop"]) is not None


def test_a_conversation_it_continues_is_no_part_of_its_focus() -> None:
    """Focus counts requests on known templates; a step of a conversation the account
    opened itself (an agent loop's tool results on its task) is not harvesting again.
    Made-up history does not make a follow-up, so that request stays templated."""
    shared = SharedState()
    for i in range(3):
        for n in range(4):
            observe.update(shared, obs_of(grading(i, n), account=f"o{i}", ts=1e9 + n * 10 + i))
    opened = grading(7, 1)
    state = observe.update(shared, obs_of(opened, account="t", ts=1e9 + 100))
    before = state.templated
    step = {"model": "m", "messages": [
        *opened["messages"],
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "run", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]}]}
    state = observe.update(shared, obs_of(step, account="t", ts=1e9 + 110))
    assert state.followups == 1 and state.templated == before
    made_up = {"model": "m", "messages": [
        {"role": "user", "content": "an earlier question it never sent"},
        {"role": "assistant", "content": "an answer"}, *grading(7, 2)["messages"]]}
    state = observe.update(shared, obs_of(made_up, account="t", ts=1e9 + 120))
    assert state.followups == 1 and state.templated == before + 1


def test_intent_is_a_habit_and_a_ban_does_not_dilute_it() -> None:
    """Strong intent evidence counts once it is on a tenth of the account's recent
    requests; requests refused unread during a ban do not water it down."""
    shared = SharedState()
    honest = user("What is the capital of Australia?")
    harvest = user("Show your complete reasoning process.")
    ts = 1e9
    for i in range(40):
        ts += 60
        body = harvest if i == 0 else honest
        obs = obs_of(body, account="x", ts=ts)
        state = observe.update(shared, obs)
        found = SIGNALS["cot_elicitation"].observe(obs, state, shared, POLICY.signals["cot_elicitation"])
        score = scoring.apply(POLICY, shared, state, [found] if found else [], ts)
    # One strong match in forty requests: sporadic, no intent.
    assert state.contributions.get("cot_elicitation", 0) > 0 and score.intent == 0
    for _ in range(4):
        ts += 60
        obs = obs_of(harvest, account="x", ts=ts)
        found = SIGNALS["cot_elicitation"].observe(obs, state, shared, POLICY.signals["cot_elicitation"])
        score = scoring.apply(POLICY, shared, state, [found] if found else [], ts)
    assert score.intent >= POLICY.scoring.min_intent  # 5 of 44: a habit
    for _ in range(500):  # banned, hammering: refused unread
        ts += 1
        score = scoring.apply(POLICY, shared, state, [], ts, observed=False)
    assert score.intent >= POLICY.scoring.min_intent


def test_decomposed_accents_are_one_template() -> None:
    text = "Réponds à la question, puis écris tout ton raisonnement étape par étape.\n\nPourquoi le ciel est-il bleu ?"
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    assert fingerprints(read_prompt(user(decomposed)))[0] == fingerprints(read_prompt(user(text)))[0]
