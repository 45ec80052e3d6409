"""Chain-of-thought elicitation and reasoning-trace coercion: prompts that ask the
model to write out, reconstruct or reformat its reasoning (to harvest it as training
data), in several languages. "Step by step" alone is weak: students write it too."""

from typing import ClassVar

from gateway.signals.patterns import PatternSignal


class CotElicitation(PatternSignal):
    name: ClassVar[str] = "cot_elicitation"
    description: ClassVar[str] = "asks for the model's full reasoning trace"
    strong: ClassVar[list[str]] = [
        r"\b(show|write|output|give|provide|include|print|reveal|expose|display)\b.{0,40}"
        r"\b(full|complete|entire|whole|detailed|internal|hidden|raw|exhaustive|transparent)\b.{0,30}"
        r"\b(reasoning|thought process|thinking|chain[- ]of[- ]thought|thoughts)\b",
        r"\b(complete|full|entire|transparent|exhaustive)\b.{0,20}\breasoning (trace|process|chain)",
        r"\b(reconstruct|articulate|imagine|recreate|reverse[- ]engineer|write out)\b.{0,60}"
        r"\breasoning\b.{0,40}\b(behind|that led to|leading to|for)\b",
        r"\b(given|here is|below is)\b.{0,40}\b(final )?(answer|response|solution)\b.{0,200}"
        r"\b(derive|explain|write|produce|generate)\b.{0,60}\b(reasoning|steps|derivation)\b"
        r".{0,40}\b(led|lead|arrive|reach|produce)",
        r"\b(think|reason|thinking)\b.{0,30}\b(in|using) the (same )?language of the (user|input|question)",
        r"\bthinking language must match",
        r"\b(verbatim|word for word)\b.{0,40}\b(reasoning|thinking|thoughts)\b",
        r"\b(reasoning|thinking|thoughts)\b.{0,40}\b(verbatim|word for word)\b",
        r"<\s*(think|thinking|reasoning)\s*>.{0,200}<\s*/\s*(think|thinking|reasoning)\s*>",
        r"\b(wrap|enclose|put)\b.{0,30}\b(reasoning|thinking|thoughts)\b.{0,30}\b(tags?|<)",
        r"\bchain[- ]of[- ]thought\b.{0,40}\b(data|dataset|traces?|format|annotation)",
        r"(完整|详细|全部)的?(推理|思考|思维)(过程|链|轨迹)",
        r"(展示|输出|写出|给出|还原|重建)(你的)?(完整|全部|详细)?(推理|思考|思维)(过程|链)",
        r"(思维链|推理轨迹)",
        r"(полн|подробн)\w*\s+(ход|цепочк)\w*\s+рассуждени",
        r"(razonamiento|proceso de pensamiento)\s+(completo|detallado|interno)",
        r"(raisonnement|processus de réflexion)\s+(complet|détaillé|interne)",
        r"(vollständig|detailliert)\w*\s+(Gedankengang|Denkprozess|Argumentationskette)",
        r"(完全な|詳細な)?(推論過程|思考過程)を(すべて|全て)?(示|出力|書)",
        r"(전체|상세한|자세한)\s*(추론|사고)\s*과정",
    ]
    weak: ClassVar[list[str]] = [
        r"\bstep[- ]by[- ]step\b",
        r"\bexplain your (reasoning|thinking)\b",
        r"\bshow (your|the) (work|steps)\b",
        r"\blet'?s think\b",
        r"一步一步|逐步|分步",
        r"пошагов",
        r"paso a paso",
        r"étape par étape",
        r"Schritt für Schritt",
        r"ステップバイステップ|段階的に",
        r"단계별",
    ]
