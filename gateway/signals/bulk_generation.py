"""Bulk-generation templates: asking for many diverse tasks, instructions or
examples at once, in a fixed format (the Alpaca generation prompt is the classic)."""

import re
from typing import ClassVar

from gateway.signals.patterns import PatternSignal, Rule

ASKS = ("come up with", "generate", "create", "write", "produce", "give me")
VARIED = ("diverse", "different", "unique", "varied", "distinct", "new")


def many(nouns: tuple[str, ...]) -> Rule:
    """"Generate 20 diverse <nouns>": a count, a call for variety, plural nouns."""
    return (rf"\b({'|'.join(ASKS)})\b.{{0,30}}\b\d{{2,4}}\b.{{0,30}}\b({'|'.join(VARIED)})\b.{{0,30}}"
            rf"\b({'|'.join(nouns)})s\b", (ASKS, VARIED, nouns))


# "Training data" and "to train a model" as languages other than English say it (the
# English rules, in the class, also want the verb): a request for a dozen or more items meant to
# train a model is a dataset order. Words that also mean study or education (学習用,
# 학습용, eğitim verisi) are left out.
TRAINING = (
    "训练数据", "训练集", "微调数据", "训练模型", "训练大模型", "微调模型",
    "学習データ", "訓練データ", "教師データ", "モデルの学習", "モデルの訓練", "ファインチューニング",
    "학습 데이터", "학습데이터", "훈련 데이터", "모델 학습", "파인튜닝",
    "datos de entrenamiento", "para entrenar un modelo", "para entrenar el modelo",
    "para entrenar mi modelo", "conjunto de entrenamiento",
    "données d'entraînement", "données d’entraînement", "données d'apprentissage",
    "pour entraîner un modèle", "pour entraîner le modèle", "pour entraîner mon modèle",
    "trainingsdaten", "zum trainieren eines modells", "zum trainieren des modells", "feinabstimmung",
    "dados de treinamento", "dados de treino", "para treinar um modelo", "para treinar o modelo",
    "dati di addestramento", "per addestrare un modello", "per addestrare il modello",
    "обучающие данные", "обучающих данных", "обучающую выборку", "данные для обучения",
    "для обучения модели", "для обучения языковой модели", "навчальні дані", "навчальних даних",
    "для навчання моделі",
    "dane treningowe", "danych treningowych", "do trenowania modelu", "zbiór treningowy",
    "modeli eğitmek", "model eğitimi", "eğitim veri seti",
    "dữ liệu huấn luyện", "huấn luyện mô hình",
    "data pelatihan", "melatih model", "data latih",
    "بيانات التدريب", "لتدريب نموذج", "لتدريب النموذج",
    "प्रशिक्षण डेटा", "मॉडल को प्रशिक्षित",
    "trainingsdata", "trainingsgegevens", "een model te trainen",
    "ข้อมูลฝึก", "ข้อมูลสำหรับฝึก", "ฝึกโมเดล",
    "δεδομένα εκπαίδευσης", "εκπαίδευση μοντέλου", "εκπαίδευση του μοντέλου",
    "trénovací data", "trénování modelu",
    "נתוני אימון", "לאימון מודל",
    "data ya mafunzo",
)
# A count of items, 10 to 999: not a year, a version or a share.
COUNT = r"(?<![\d.,])\d{2,3}(?![\d%.,:/])"


def for_training() -> Rule:
    """Training data in any of the languages above, with a count of items near it."""
    terms = "|".join(re.escape(term) for term in TRAINING)
    return (rf"(?:{terms}).{{0,80}}?{COUNT}|{COUNT}.{{0,80}}?(?:{terms})", TRAINING)


class BulkGeneration(PatternSignal):
    name: ClassVar[str] = "bulk_generation"
    description: ClassVar[str] = "asks for many synthetic tasks or examples at once"
    strong: ClassVar[list[Rule]] = [
        # Tasks and instructions for a model, not the questions or problems a teacher or
        # a recruiter asks for by the dozen (those are weak, below).
        many(("task", "instruction", "prompt", "example", "conversation")),
        (r"\b(task|instruction) instructions?\b.{0,60}\b(diverse|diversity)\b",
         (("instruction",), ("divers",))),
        (r"\bList of \d+ tasks\b",
         ('task', 'list of')),
        (r"\b(synthetic|training) (data|dataset|examples)\b.{0,60}\b(generate|create|produce)\b",
         (("synthetic", "training"), ("generate", "create", "produce"))),
        (r"\b(generate|create|produce)\b.{0,60}\b(synthetic|training) (data|dataset|examples)\b",
         (("synthetic", "training"), ("generate", "create", "produce"))),
        (r"(生成|编写)\s*\d+\s*(个|条|道).{0,10}(不同|多样)",
         ('生成', '编写')),
        for_training(),
        # Training pairs by their schema, in any language of the request around it:
        # "question-answer pairs", or a record to fill whose keys are a prompt and its
        # answer ({"instruction": "...", "output": "..."}), the Alpaca and chat-dataset
        # layouts.
        (r"\b(instruction|question|prompt|input|q)s?[-/ ](and |& |/)?(answer|response|output|completion|a)s?"
         r" pairs\b",
         (("pairs",), ("instruction", "question", "prompt", "input", "q"))),
        (r"[\"'](instruction|prompt|question|input)[\"']\s*:\s*[\"']?(\.\.\.|…|<[^>\n]{0,30}>)[\"']?"
         r"\s*,\s*[\"'](output|response|answer|completion)[\"']",
         (("instruction", "prompt", "question", "input"), ("output", "response", "answer", "completion"))),
    ]
    weak: ClassVar[list[Rule]] = [many(("question", "problem", "sample"))]
