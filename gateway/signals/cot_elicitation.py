"""Chain-of-thought elicitation and reasoning-trace coercion: prompts that ask the
model to write out, reconstruct or reformat its reasoning (to harvest it as training
data), in several languages. "Step by step" alone is weak: students write it too."""

from typing import ClassVar

from gateway.signals.concepts import ConceptRule
from gateway.signals.patterns import PatternSignal, Rule


class CotElicitation(PatternSignal):
    name: ClassVar[str] = "cot_elicitation"
    description: ClassVar[str] = "asks for the model's full reasoning trace"
    concepts: ClassVar[list[ConceptRule]] = [
        # The reasoning that leads to an answer the prompt already gives.
        # Asked for in so many words: "grade the following answer" with a question
        # about reasoning below it is a teacher's grading, not this.
        ConceptRule("reasoning toward a given answer",
                    (("write", "explain"), ("given_answer",), ("reasoning", "thoughts", "steps"), ("reach",)),
                    200),
        # The whole of the reasoning (not "all your thoughts": a diary prompt).
        ConceptRule("the whole reasoning", (("full",), ("reasoning",)), 24),
        # All the thoughts, written step by step, in one phrase: a diary asks for the
        # thoughts, not for them in steps ("skriv da holl soñjoù paz ha paz", "tsala
        # mianakanyo ya wena hinkwayo goza hi goza"; not "your thoughts on the whole
        # process, step by step", where a comma parts the thoughts from the steps).
        ConceptRule("all thoughts, step by step", (("full", "all_yours"), ("thoughts",), ("stepwise",)), 30,
                    phrase=True),
        ConceptRule("all thoughts, step by step", (("thoughts",), ("full", "all_yours"), ("stepwise",)), 30,
                    phrase=True),
        # Every step of it, or each inference, as phrases: "each" near the reasoning may
        # count something else ("the reasoning behind each translation choice" is a
        # rationale per item; "give each step, then explain your reasoning", a pupil's).
        ConceptRule("every step of the reasoning", (("every",), ("steps",), ("reasoning",)), 24, phrase=True),
        ConceptRule("each unit of reasoning", (("every",), ("reasoning",)), 20, phrase=True),
        # Thinking aloud, or reasoning in named tags, before the answer.
        ConceptRule("thinking aloud", (("think_aloud",), ("reasoning", "answer")), 150),
        ConceptRule("reasoning in tags", (("reasoning_tag", "tags"), ("reasoning",), ("answer",)), 200),
    ]
    strong: ClassVar[list[Rule]] = [
        (r"\b(show|write|output|give|provide|include|print|reveal|expose|display)\b.{0,40}"
         r"\b(full|complete|entire|whole|detailed|internal|hidden|raw|exhaustive|transparent)\b.{0,30}"
         r"\b(reasoning|thought process|thinking|chain[- ]of[- ]thought|thoughts)\b",
         (("full", "complete", "entire", "whole", "detailed", "internal", "hidden", "raw",
           "exhaustive", "transparent"), ("reasoning", "thought", "thinking", "chain"))),
        # "Write down all of your intermediate thinking", "show every step of your
        # reasoning": the whole of it, said with a quantifier. Not "thoughts": "write
        # down all your thoughts on the film" is a journaling prompt.
        (r"\b(show|write|output|give|provide|include|print|reveal|expose|display|spell out|lay out)\b"
         r".{0,40}\b((all|every|each)( single| last)?( (step|part|bit|stage|line)s?)?( of)? (your|the)"
         r"( own)?( intermediate| internal)?|intermediate) "
         r"(reasoning|thought process|thinking|chain[- ]of[- ]thought)\b",
         # Gated on the noun with the word before it: this regex costs 30 µs on 2 KB
         # when it runs, and "all" and "thinking" alone are in most long prompts.
         (("all", "every", "each", "intermediate"),
          tuple(f"{before} {noun}" for before in ("your", "the", "own", "intermediate", "internal")
                for noun in ("reasoning", "thought process", "thinking", "chain of thought",
                             "chain-of-thought")))),
        # "Show all of your working", "every line of working shown": the working is a
        # calculation's reasoning. Not "a complete working example", "in full working
        # order" nor "the tests are all working": a word other than these after it ends it.
        (r"\b(?:(?:all|every step|each step)(?: of)? (?:the|your|their|its|my)|(?:every|each) line of"
         r"|full|complete|entire|whole)(?: (?:the|your|their|its|my))? working(?:-out)?"
         r"(?=\s*(?:$|[^\w\s-]|(?:for|shown|out|behind|too|as well|in full|then|first|before|above"
         r"|below|laid|set|written)\b))",
         # Gated on the phrases themselves: "all" and "working" are in many a prompt, and
         # this regex, with no literal to start from, costs 45 µs on 2 KB when it runs.
         ((*(f"{head} {owner}working" for head in ("all", "all of", "step of", "steps of",
                                                  "line of", "lines of")
             for owner in ("", "the ", "your ", "their ", "its ", "my ")),
           "full working", "complete working", "entire working", "whole working"),)),
        (r"\b(complete|full|entire|transparent|exhaustive)\b.{0,20}\breasoning (trace|process|chain)",
         (("complete", "full", "entire", "transparent", "exhaustive"),
          ("reasoning trace", "reasoning process", "reasoning chain"))),
        (r"\b(reconstruct|articulate|imagine|recreate|reverse[- ]engineer|write out)\b.{0,60}"
         r"\breasoning\b.{0,40}\b(behind|that led to|leading to|for)\b",
         (("reconstruct", "articulate", "imagine", "recreate", "reverse", "write out"),
          ("reasoning",))),
        # Worked backwards from an answer just given ("The answer key says: ... Work
        # backwards from that and show how someone would get there"), however long the
        # answer between them. Not "from your answer": a tutor checking its own result.
        (r"\bwork(?:ing)? backwards? from (?:that|this|it|there|the (?:answer|result|key|solution))\b"
         r".{0,80}\b(?:how|steps?|reasoning|derivation)\b",
         (("work backward", "working backward"),)),
        # Reverse-engineered: the thinking behind a result (not "the logic": a binary's).
        (r"\breverse[- ]engineer\w*\b.{0,30}\b(thinking|thought process|derivation|steps)\b.{0,20}"
         r"\b(behind|that led to|leading to)\b",
         (("reverse",), ("thinking", "thought process", "derivation", "steps"))),
        (r"\b(given|here is|below is)\b.{0,40}\b(final )?(answer|response|solution)\b.{0,200}"
         r"\b(derive|explain|write|produce|generate)\b.{0,60}\b(reasoning|steps|derivation)\b"
         r".{0,40}\b(led|lead|arrive|reach|produce)",
         (("given", "here is", "below is"), ("answer", "response", "solution"),
          ("reasoning", "steps", "derivation"), ("led", "lead", "arrive", "reach", "produce"))),
        (r"\b(think|reason|thinking)\b.{0,30}\b(in|using) the (same )?language of the (user|input|question)",
         ("language of the",)),
        (r"\bthinking language must match",
         ("thinking language",)),
        (r"\b(verbatim|word for word)\b.{0,40}\b(reasoning|thinking|thoughts)\b",
         (("verbatim", "word for word"), ("reasoning", "thinking", "thoughts"))),
        (r"\b(reasoning|thinking|thoughts)\b.{0,40}\b(verbatim|word for word)\b",
         (("verbatim", "word for word"), ("reasoning", "thinking", "thoughts"))),
        (r"<\s*(think|thinking|reasoning)\s*>.{0,200}<\s*/\s*(think|thinking|reasoning)\s*>",
         (("<",), ("think", "reasoning"), ("/",))),
        (r"\b(wrap|enclose|put)\b.{0,30}\b(reasoning|thinking|thoughts)\b.{0,30}\b(tags?|<)",
         (("wrap", "enclose", "put"), ("reasoning", "thinking", "thoughts"), ("tag", "<"))),
        (r"\bchain[- ]of[- ]thought\b.{0,40}\b(data|dataset|traces?|format|annotation)",
         (("chain of thought", "chain-of-thought"), ("data", "trace", "format", "annotation"))),
        (r"(完整|详细|全部)的?(推理|思考|思维)(过程|链|轨迹)",
         ('推理', '思考', '思维')),
        (r"(展示|输出|写出|给出|还原|重建)(你的)?(完整|全部|详细)?(推理|思考|思维)(过程|链)",
         ('推理', '思考', '思维')),
        (r"(思维链|推理轨迹)",
         ('推理', '思维')),
        (r"(полн|подробн)\w*\s+(ход|цепочк)\w*\s+рассуждени",
         ('рассуждени',)),
        (r"(razonamiento|proceso de pensamiento)\s+(completo|detallado|interno)",
         ('razonamiento', 'pensamiento')),
        (r"(raisonnement|processus de réflexion)\s+(complet|détaillé|interne)",
         ('raisonnement', 'réflexion')),
        (r"(vollständig|detailliert)\w*\s+(Gedankengang|Denkprozess|Argumentationskette)",
         ('gedankengang', 'denkprozess', 'argumentationskette')),
        (r"(完全な|詳細な)?(推論過程|思考過程)を(すべて|全て)?(示|出力|書)",
         ('思考', '推論', '思考過程')),
        (r"(전체|상세한|자세한)\s*(추론|사고)\s*과정",
         ('추론', '사고')),
        # More of the languages customers write in: the full reasoning, and reconstructing
        # the reasoning behind a given answer, phrased as each language usually does.
        (r"(raciocínio|processo de pensamento|linha de raciocínio)\s+(completo|detalhado|interno|inteiro)",
         ('raciocínio', 'pensamento')),
        (r"(tod[oa]s?|inteiro)\s+(o |a |os |as )?(seu |sua |seus |suas )?"
         r"(raciocínio|processo de pensamento|linha de raciocínio)",
         ('raciocínio', 'pensamento')),
        (r"(ragionamento|processo di pensiero|catena di pensiero)\s+(completo|dettagliato|interno|intero)",
         ('ragionamento', 'pensiero')),
        (r"(tutto il|l'intero|l’intero)\s+(tuo |suo )?(ragionamento|processo di pensiero)",
         ('ragionamento', 'pensiero')),
        (r"(pełn|cał|szczegółow)\w*\s+(tok|proces|łańcuch)\w*\s+(rozumowania|myślenia)",
         ('rozumowania', 'myślenia')),
        (r"(volledige|gedetailleerde|complete)\s+(redenering|denkproces|gedachtegang)",
         ('redenering', 'denkproces', 'gedachtegang')),
        (r"(tüm|tam|ayrıntılı|eksiksiz)\s+(akıl yürütme|düşünce süreci)",
         ('akıl yürütme', 'düşünce süreci')),
        (r"(повн|детальн)\w*\s+(хід|ланцюжок|процес)\w*\s+(міркуван|мислення)",
         ('міркуван', 'мислення')),
        (r"(seluruh|lengkap|rinci)\b.{0,20}(proses berpikir|proses penalaran|penalaran)",
         ('penalaran', 'berpikir')),
        (r"(proses berpikir|proses penalaran|penalaran)\s+(lengkap|secara rinci|secara lengkap)",
         ('penalaran', 'berpikir')),
        (r"(toàn bộ|đầy đủ|chi tiết)\s+(quá trình|chuỗi)\s+(suy luận|suy nghĩ|lập luận)",
         ('suy luận', 'suy nghĩ', 'lập luận')),
        (r"(عملية التفكير|سلسلة التفكير|خطوات التفكير)\s*(الكاملة|بالكامل|بالتفصيل)",
         ('التفكير',)),
        (r"(पूरी|संपूर्ण|विस्तृत)\s+(तर्क|सोच)\s*प्रक्रिया",
         ('प्रक्रिया',)),
        (r"(reconstr[uó]\w*|reconstitu\w*|ricostru\w*|rekonstru\w*|odtw[oó]rz\w*|recrea\w*|ricrea\w*)"
         r".{0,60}(raciocínio|razonamiento|raisonnement|ragionamento|gedankengang|rozumowani\w*)",
         ('raciocínio', 'razonamiento', 'raisonnement', 'ragionamento', 'gedankengang', 'rozumowani')),
        # "The reasoning that leads to this answer": the answer is given, its
        # reasoning is wanted.
        (r"\breasoning\b.{0,20}\b(that|which) (leads?|led|gets?|got) (you |one )?(to|at) (this|that|the given) "
         r"(answer|result|solution)",
         (("reasoning",), ("leads", "led", "gets", "got"))),
        # "The thinking that produced the original answer": any noun for the reasoning,
        # a verb of producing, the answer right after (holdout-13's translator).
        # Not "logic" nor "result": "the logic that produced the wrong result" is a bug.
        (r"\b(reasoning|thinking|thought process|thoughts|derivation)\b.{0,25}\b(that|which)\b.{0,15}"
         r"\b(produced|produces|produce|generated|yielded|gave|gives|resulted in|went into|arrived at"
         r"|arrives at)\b.{0,25}\b(answer|response|solution)\b",
         (("reasoning", "thinking", "thought", "derivation"), ("that", "which"),
          ("produce", "generated", "yielded", "gave", "gives", "resulted in", "went into", "arrive"),
          ("answer", "response", "solution"))),
        # "How one gets to this answer", the answer given.
        (r"\bhow (you|one|to|we) (get|gets|got|arrive|arrives|arrived|reach|reaches|came|come) (to|at) "
         r"(this|that|the given|the above) (answer|result|solution)",
         (("how",), ("answer", "result", "solution"), ("this", "that", "given", "above"))),
        (r"(como se chega|como chegar|cómo se llega|cómo llegar|come si arriva|come arrivare"
         r"|comment on arrive|comment arriver) (a |à |al |alla |a la )(essa |esta |esa |questa |quella |cette )"
         r"(resposta|respuesta|risposta|réponse|solução|solución|soluzione|solution)",
         ('como se chega', 'como chegar', 'cómo se llega', 'cómo llegar', 'come si arriva', 'come arrivare',
          'comment on arrive', 'comment arriver')),
        (r"ragionamento\b.{0,30}(che porta|che ha portato|che conduce|per arrivare) (a |alla )"
         r"(questa |quella |la )?(risposta|soluzione)",
         ('ragionamento',)),
        (r"(razonamiento|proceso mental|proceso de pensamiento|camino mental)\b.{0,30}(que lleva|que llevó|que llevaría"
         r"|que conduce|que conduciría|para llegar) a (alguien a |uno a )?(esta |esa |la )?(respuesta|solución)",
         ('razonamiento', 'proceso mental', 'proceso de pensamiento', 'camino mental')),
        (r"raciocínio\b.{0,30}(que leva|que levou|que conduz|para chegar) (a |à )(essa |esta )?"
         r"(resposta|solução)",
         ('raciocínio',)),
        (r"raisonnement\b.{0,30}(qui mène|qui a mené|qui conduit|pour arriver) à (cette |la )?"
         r"(réponse|solution)",
         ('raisonnement',)),
        (r"(gedankengang|argumentation|denkweg|lösungsweg)\w*.{0,30}(der|die|das) zu (dieser|der) "
         r"(antwort|lösung) (führt|geführt)",
         ('gedankengang', 'argumentation', 'denkweg', 'lösungsweg')),
        # How one arrives at a given answer, in Dutch (holdout-12's miss), German,
        # Russian, Japanese, Chinese and Korean.
        (r"hoe (je|men|jij|u) (op|tot|aan) (dit|dat|het gegeven|het) (antwoord|resultaat|oplossing) "
         r"(komt|kwam|gekomen|uitkomt)",
         ('hoe je', 'hoe men', 'hoe jij', 'hoe u')),
        (r"(redenering|gedachtegang|denkproces|denkstappen)\w*.{0,30}(die|dat) (tot|naar|op) (dit|dat|het) "
         r"(antwoord|resultaat|oplossing) (leidt|leidde|heeft geleid|komt)",
         ('redenering', 'gedachtegang', 'denkproces', 'denkstappen')),
        (r"hur (man|du|en) (kommer|kom|har kommit) fram till (detta|det här|det|svaret|lösningen)( svar| lösning)?",
         ('hur man', 'hur du', 'hur en')),
        (r"resonemang\w*.{0,30}som (leder|ledde) (fram )?till (detta|det här|svaret|lösningen)",
         ('resonemang',)),
        # German with a quantifier: every single thought on the way to the answer (the
        # answer named: "alle Gedanken zum Film" is a diary).
        (r"(schreib|schreibe|notier|notiere|zeig|zeige|gib|nenn|nenne)\w*.{0,30}\b(jeden|alle|sämtliche) "
         r"(einzelnen |deine |deiner )?(gedanken|denkschritte|zwischenschritte|überlegungen)\b.{0,80}"
         r"(antwort|lösung|ergebnis)",
         (("schreib", "notier", "zeig", "gib", "nenn"), ("jeden", "alle", "sämtliche"),
          ("gedanken", "denkschritte", "zwischenschritte", "überlegungen"), ("antwort", "lösung", "ergebnis"))),
        (r"wie (man|du|sie|ich) (auf|zu) (diese|dieser|die|der|das|dieses) (antwort|lösung|ergebnis) "
         r"(kommt|gelangt|kam|käme)",
         ('wie man', 'wie du', 'wie sie', 'wie ich')),
        (r"как (прийти|дойти|получить|получили|пришли|приходят|приходим|прийти)\w* (к )?(этому|этот|данному|такому) "
         r"(ответу|ответ|решению|результату)",
         ('как',)),
        (r"рассуждени\w*.{0,30}(которое|которые|что) (привел|привод|ведут|ведёт|ведет)\w* к (этому|данному|такому) "
         r"(ответу|решению|результату)",
         ('рассуждени',)),
        (r"(この|その|与えられた)(答え|回答|解答|正解)に(至る|たどり着く|到達する|なる)(まで)?の?(過程|考え方|思考|推論|道筋)",
         ('答え', '回答', '解答', '正解')),
        (r"(得出|得到|推出|推导出)(这个|该|此|上述)(答案|结果|结论)的(思考|推理|思路|推导)",
         ('得出', '得到', '推出', '推导出')),
        (r"(如何|怎么|怎样)(得出|得到|推出|推导出)(这个|该|此|上述)(答案|结果)",
         ('如何', '怎么', '怎样')),
        (r"(이|그|주어진) (답|답변|정답|해답)에 (이르는|도달하는|도달한|이른) (과정|추론|사고)",
         ('이르는', '도달하는', '도달한', '이른')),
        (r"(推論|思考)(過程|プロセス).{0,30}(再構成|再現|復元)",
         ('再構成', '再現', '復元')),
        (r"(추론|사고)\s*과정.{0,30}(재구성|복원|재현)",
         ('재구성', '복원', '재현')),
    ]
    weak: ClassVar[list[Rule]] = [
        (r"\bstep[- ]by[- ]step\b",
         ('step',)),
        (r"\bexplain your (reasoning|thinking)\b",
         ('reasoning', 'thinking', 'think', 'reason')),
        (r"\bshow (your|the) (work|steps)\b",
         ('step', 'work')),
        (r"\blet'?s think\b",
         ('think',)),
        (r"一步一步|逐步|分步",
         ('一步', '逐步', '分步')),
        (r"пошагов",
         ('пошагов',)),
        (r"paso a paso",
         ('paso a paso',)),
        (r"étape par étape",
         ('étape',)),
        (r"Schritt für Schritt",
         ('schritt',)),
        (r"ステップバイステップ|段階的に",
         ('ステップ', '段階')),
        (r"단계별",
         ('단계',)),
        (r"passo a passo|passo dopo passo|krok po kroku|stap voor stap|adım adım|крок за кроком"
         r"|покроково|langkah demi langkah|từng bước|خطوة بخطوة|चरण दर चरण",
         ('passo', 'krok', 'stap', 'adım', 'крок', 'покроково', 'langkah', 'từng bước', 'خطوة',
          'चरण')),
    ]
