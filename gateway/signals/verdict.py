"""A bare verdict demanded: output for a program to parse ("Numbers only", "Reply
only with JSON", "Output the score and nothing else", "只输出数字"), not reasons for a
person to read. Over one answer scored it tells a labelling pipeline from a teacher
marking a pupil or a hiring panel scoring a candidate, who want the reason with the
mark."""

import re

# Letters of the scripts whose words are spaced: a word here must not run on into one.
_LETTER = "a-zà-ɏͰ-ϿЀ-ӿ"
_START = f"(?<![{_LETTER}])"
_END = f"(?![{_LETTER}])"
# "Only" in the languages of the lexicon (where one word says it).
ONLY = ("only", "just", "solely", "nothing but", "nur", "ausschließlich", "seulement",
        "uniquement", "solo", "solamente", "únicamente", "soltanto", "unicamente", "apenas",
        "somente", "só", "alleen", "enkel", "endast", "bara", "kun", "tylko", "wyłącznie",
        "только", "лишь", "тільки", "лише", "sadece", "yalnızca", "yalnız", "hanya", "saja",
        "chỉ", "केवल", "सिर्फ़", "सिर्फ", "只", "仅", "のみ", "だけ", "만", "فقط", "jen", "pouze",
        "μόνο", "csak", "doar", "numai", "vain", "רק", "biss", "kuphela", "amháin", "yn unig",
        "aðeins", "ainult", "tikai", "tik", "samo", "само", "vetëm", "bakarrik", "només",
        "slegs", "sahaja", "lamang", "เท่านั้น", "صرف", "শুধু", "மட்டும்", "მხოლოდ", "միայն",
        "тек", "ancaq", "faqat", "зөвхөн", "मात्र", "फक्त", "පමණක්", "మాత్రమే", "ብቻ", "nìkan",
        "ફક્ત", "ಮಾತ್ರ", "മാത്രം", "kawai", "ເທົ່ານັ້ນ", "ਸਿਰਫ਼", "танҳо", "kaliya", "یوازې",
        "ጥራይ", "diňe", "tenê", "କେବଳ", "پەقەت", "ihany", "gusa", "naanị", "sèlman", "nëmmen",
        "chete", "رڳو", "qofa", "qofaa", "feela", "fela", "fêla", "kokha", "naʻo", "na'o", "anake",
        "a-mhàin", "a-mhain", "einans", "কেৱল", "মাত্ৰ", "allinnich", "rekk", "kaka", "laeng",
        "hepken", "wale nō", "sapallan", "kyokka", "nkoaa", "ɖeko", "tasol", "генә", "ғына", "кенә",
        "ҡына", "ހަމައެކަނި", "sonque", "solament", "ntsena", "ཁོ་ན", "mante", "solu", "кӑна", "ҫеҫ",
        "petzi", "isceti", "nomo", "de'it", "dɔrɔn", "dome", "эрэ", "бен", "dušše", "kisimi",
        "taamaallaat", "tolko", "unnsel", "fye", "æрмæстдæр", "æрмæст", "sade", "sadä", "zis", "sirf",
        "keval", "ana'e", "anae", "ɖěɖé", "kpowun", "jenož", "jano", "зүгөөр", "гансал", "blós", "leno",
        "fa2at", "tii", "гинэ", "сӧмын", "веле", "чүгле")
# What the verdict is made of: a number, a score, JSON.
_TOKEN = ("json", "letter", "number", "numbers", "integer", "integers", "digit", "digits",
          "score", "scores", "rating", "ratings", "verdict", "zahl", "zahlen", "ziffer",
          "nombre", "chiffre", "chiffres", "número", "números", "numero", "numeri", "cijfer",
          "getal", "siffra", "siffror", "liczba", "liczby", "cyfra", "cyfry", "число", "числа",
          "цифру", "цифры", "цифра", "sayı", "sayıyı", "angka", "số", "数字", "数値", "点数", "分数",
          "숫자", "점수", "رقم", "أرقام", "الرقم", "číslo", "čísla", "αριθμό", "αριθμούς",
          "számot", "számokat", "număr", "numărul", "numere", "luku", "מספר", "numri", "izinombolo",
          "inombolo", "uimhreacha", "rhifau", "tölur", "numbrid", "arvud", "skaitļi", "skaičiai",
          "številke", "brojeve", "brojevi", "numra", "zenbakiak", "getalle", "nombor", "ตัวเลข",
          "نمبر", "সংখ্যা", "எண்", "რიცხვ", "թիվ", "сан", "raqam", "тоо", "संख्या", "अंक", "ቁጥር",
          "namba", "nambari", "lamba", "zuelen", "عدد", "انگ", "lakkoofsa", "lakkoofsota", "nomoro",
          "dinomoro", "palo", "dipalo", "nambala", "manambala", "numera", "numela", "nama", "àireamh",
          "àireamhan", "sgòr", "tøl", "tølini", "নম্বৰ", "sifers", "nimero", "motango", "niver",
          "niverennoù", "helu", "yupay", "ennamba", "nɔma", "akontaa", "xexlẽdzesi", "xexlẽdzesiwo",
        "naba", "һандар", "һан", "ނަންބަރު", "އަދަދު", "nombres", "chifras", "tinomboro", "nomboro",
        "limre", "ཨང་གྲངས", "papapy", "numers", "cifras", "хисеп", "хисепсем", "nùmeros", "numeros",
        "tinombolo", "númeru", "numeru", "jateden", "nimɔrɔ", "numars", "numar", "чыыһыла",
        "сыыппара", "терахь", "терахьаш", "loguid", "logut", "lohku", "uṭṭunen", "imḍanen", "normut",
        "kisitsisit", "chislo", "chisla", "tsifru", "tsifry", "numbernan", "niverow", "impendwa",
        "inambala", "нымæцтæ", "нымæц", "numaralar", "numara", "numera", "ličby", "ličba", "linomboro",
        "lëczbë", "lëczba", "nomru", "ra2am", "arqam", "nombes", "лыдпус", "лыдпусъёс", "skaitli",
        "лыдпасъяс", "arithmo", "arithmous", "саннар", "numerot")
# Not "a number of": a quantity, not a number wanted.
_VERDICT = f"(?:(?:the |a |an |one |a single )?(?:{'|'.join(_TOKEN)})(?! of\\b))"
_ONLY = f"(?:{'|'.join(ONLY)})"
VERDICT = re.compile(
    # "Output only an integer", "Reply with just the number", "只输出数字"; not "the only
    # score that counts".
    f"{_START}(?<!the ){_ONLY}{_END}[^.\n]{{0,25}}?{_START}{_VERDICT}{_END}"
    # "Numbers only", "Output the score and nothing else", "数字のみ", "숫자만".
    f"|{_START}{_VERDICT}[ ,]{{0,3}}(?:{_ONLY}|and nothing else|nothing else){_END}"
    # "Output them comma-separated, nothing else", "no explanation".
    r"|,\s*nothing else\b|\bno (?:explanation|other text|commentary|justification)s?\b"
    # "Respond in JSON", "Return JSON:", "Reply only with JSON".
    r"|\b(?:respond|reply|answer|return|output)(?: only)? (?:in |as |with |only with )?json\b"
)


def bare_verdict(text: str) -> str | None:
    """The demand for a bare verdict in lower-cased `text`, or None."""
    match = VERDICT.search(text)
    return None if match is None else match.group(0)
