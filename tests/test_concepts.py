"""Concept rules: a kind of request recognised in languages and wordings no regex was
written for, and the honest near-misses that must not count. The examples here are
written for this test, not taken from the simulator's scenarios."""

from __future__ import annotations

import unicodedata

import pytest

from gateway.signals import SIGNALS
from gateway.signals.concepts import ConceptRule, count_hits, entries, first_match, spelling
from gateway.signals.gates import WordIndex
from gateway.signals.lexicon import LEXICON
from gateway.signals.patterns import PatternSignal
from tests.test_signals import POLICY, fire, user

CONTENT = [cls for cls in SIGNALS.values() if isinstance(cls, PatternSignal)]


def strong(name: str, text: str) -> str | None:
    found = fire(name, user(text))
    if found is None or found[0] < POLICY.scoring.signals[name].points:
        return None
    return found[1]


@pytest.mark.parametrize(("name", "text"), [
    # Reasoning toward an answer the prompt gives.
    ("cot_elicitation", "Frage: {q}\nLösung: 42\nBeschreibe den Gedankengang, der zu dieser Antwort führt."),
    ("cot_elicitation", "問題：{q}\n答案：42\n请一步一步写出得出这个答案的思路。"),
    ("cot_elicitation", "Pytanie: {q}\nOdpowiedź: 42\nOpisz tok myślenia, który prowadzi do tej odpowiedzi."),
    ("cot_elicitation", "Вопрос: {q}\nОтвет: 42\nВосстанови рассуждение, которое приводит к этому ответу."),
    # The whole reasoning, said with a quantifier.
    ("cot_elicitation", "{q}\n\nПокажи весь ход рассуждения, прежде чем ответить."),
    ("cot_elicitation", "{q}\n\n회신 전에 모든 추론 과정을 적어 주세요."),
    # Every step of the reasoning.
    ("cot_elicitation", "{q}\n\nZeige jeden einzelnen Schritt deines Gedankengangs, dann die Antwort."),
    ("cot_elicitation", "{q}\n\nAvant de répondre, détaille chaque étape de ton raisonnement."),
    # Reasoning in named tags.
    ("cot_elicitation", "{q}\n\nÉcris ton raisonnement entre les balises <raisonnement>, puis la réponse."),
    # The model's own answer critiqued, then improved.
    ("preference_data", "{q}\n\nBeantworte das. Kritisiere danach deine eigene Antwort und schreibe eine verbesserte."),
    ("preference_data",
     "{q}\n\nResponde primero. Luego señala los errores de tu respuesta y escribe una respuesta mejorada."),
    ("preference_data", "{q}\n\n先回答，然后批评你的回答的缺点，再写一个改进的回答。"),
    # Two answers, one worse; a good one and a bad one.
    ("preference_data", "{q}\n\nNapisz dwie odpowiedzi: jedną dobrą i jedną z subtelnym błędem, oznacz je."),
    ("preference_data", "{q}\n\nДай два ответа на запрос: один хороший, второй заметно хуже."),
    ("preference_data", "{q}\n\nTulis dua jawaban: satu yang bagus dan satu yang buruk."),
    # Items for a training set, by the dozen; requests for an AI with answers.
    ("bulk_generation", "Erstelle 50 Frage-Antwort-Paare als Trainingsdaten für ein Sprachmodell."),
    ("bulk_generation", "Genera 60 coppie domanda e risposta per addestrare un modello, in formato JSONL."),
    ("bulk_generation", "AIアシスタントへの質問を20個作り、それぞれに模範的な回答を付けてください。"),
    # An AI's answer graded.
    ("rubric_grading", "Pregunta: {q}\nRespuesta del asistente: 42\nCalifica la respuesta del asistente del 1 al 10."),
    ("rubric_grading", "Soru: {q}\nModelin yanıtı: 42\nModelin yanıtını 1-10 arasında değerlendir."),
    # Czech, Greek, Thai and Swahili (listed since session 9).
    ("cot_elicitation", "Otázka: {q}\nOdpověď: 42\nVysvětli myšlenkový postup, který vede k této odpovědi."),
    ("cot_elicitation", "{q}\n\nΓράψε όλο τον συλλογισμό σου πριν απαντήσεις."),
    ("preference_data", "{q}\n\nตอบก่อน แล้ววิจารณ์คำตอบของคุณ และเขียนคำตอบที่ปรับปรุงแล้ว"),
    ("preference_data", "{q}\n\nAndika majibu mawili: moja nzuri na moja mbaya."),
    ("bulk_generation", "Vytvoř 40 párů otázek a odpovědí jako trénovací data pro jazykový model."),
    ("rubric_grading", "Ερώτηση: {q}\nΑπάντηση του μοντέλου: 42\nΒαθμολόγησε την απάντηση του μοντέλου."),
    # Hungarian, Romanian, Finnish and Hebrew (listed since session 9).
    ("cot_elicitation", "Kérdés: {q}\nVálasz: 42\nMagyarázd el a gondolatmenetet, amely ehhez a válaszhoz vezet."),
    ("preference_data", "{q}\n\nScrie două răspunsuri: unul bun și unul greșit."),
    ("bulk_generation", "Luo 50 kysymys-vastaus-paria kielimallin hienosäätöön."),
    ("cot_elicitation", "{q}\n\nכתוב את כל תהליך החשיבה שלך לפני התשובה."),
    ("rubric_grading", "Întrebare: {q}\nRăspunsul modelului: 42\nEvaluează răspunsul modelului de la 1 la 10."),
    # Danish, Bulgarian, Tagalog, Bengali, Slovak and Catalan (listed since session 10).
    ("cot_elicitation", "Spørgsmål: {q}\nSvar: 42\nForklar den tankegang, der fører til dette svar."),
    ("preference_data", "{q}\n\nОтговори, после критикувай своя отговор и напиши подобрен вариант."),
    ("cot_elicitation", "{q}\n\nIsulat ang buong pangangatwiran mo bago sumagot."),
    ("bulk_generation", "মডেল প্রশিক্ষণ এর জন্য 50টি প্রশ্নোত্তর তৈরি করো।"),
    ("rubric_grading", "Otázka: {q}\nOdpoveď modelu: 42\nZhodnoť odpoveď modelu na stupnici 1 až 10."),
    ("cot_elicitation", "{q}\n\nAbans de respondre, escriu tot el raonament, sense saltar res."),
    # Norwegian, Persian, Croatian, Lithuanian, Urdu and Malay (listed since session 10).
    ("cot_elicitation", "{q}\n\nSkriv hele resonnementet ditt før svaret."),
    ("cot_elicitation", "سوال: {q}\nپاسخ: 42\nتوضیح بده چه استدلالی به این پاسخ منجر می‌شود."),
    ("preference_data", "{q}\n\nOdgovori, zatim kritiziraj svoj odgovor i napiši poboljšanu inačicu."),
    ("bulk_generation", "Sugeneruok 40 klausimų ir atsakymų porų kalbos modelio mokymo duomenims."),
    ("cot_elicitation", "{q}\n\nجواب سے پہلے اپنی مکمل سوچ لکھیں۔"),
    ("bulk_generation", "Jana 30 soalan dan jawapan sebagai data latihan untuk model bahasa."),
    # Tamil, Estonian, Georgian, Afrikaans, Albanian and Serbian (listed since session 11).
    ("cot_elicitation", "{q}\n\nபதிலுக்கு முன் உங்கள் முழுமையான சிந்தனை செயல்முறையை எழுதுங்கள்."),
    ("preference_data", "{q}\n\nVasta, siis leia oma vastuse nõrkused ja kirjuta täiustatud vastus."),
    ("cot_elicitation", "კითხვა: {q}\nპასუხი: 42\nაღწერე მსჯელობა, რომელიც ამ პასუხამდე მიგვიყვანს."),
    ("bulk_generation", "Skep 30 vrae en antwoorde as opleidingsdata vir 'n taalmodel."),
    ("preference_data", "{q}\n\nShkruaj dy përgjigje: një të mirë dhe një të gabuar."),
    ("cot_elicitation", "{q}\n\nНапиши цео ток мисли пре коначног одговора."),
    # Latvian, Slovenian, Kazakh, Azerbaijani, Armenian and Nepali (listed since session 12;
    # other wordings than holdout-22's).
    ("cot_elicitation", "Jautājums: {q}\nAtbilde: 42\nPaskaidro spriedumu, kas noved pie šīs atbildes."),
    ("preference_data", "{q}\n\nOdgovori, nato poišči napake v svojem odgovoru in napiši boljšo različico."),
    ("cot_elicitation", "{q}\n\nЖауап бермес бұрын толық ой-пайымыңды жаз."),
    ("bulk_generation", "Süni intellekt modelinin təlimi üçün 40 sual-cavab cütü hazırla."),
    ("preference_data", "{q}\n\nԳրիր երկու պատասխան. մեկը լավ, մյուսը՝ սխալ։"),
    ("cot_elicitation", "{q}\n\nउत्तर दिनु अघि आफ्नो पूरै सोच्ने प्रक्रिया लेख्नुहोस्।"),
    ("rubric_grading", "{q}\nKura atbilde ir labāka, pirmā vai otrā?"),
    # Icelandic, Macedonian, Uzbek, Mongolian, Basque and Marathi (listed since session 12,
    # after holdout-23; other wordings than its own).
    ("preference_data", "{q}\n\nSvaraðu, gagnrýndu svo svarið þitt og skrifaðu endurbætt svar."),
    ("cot_elicitation", "Прашање: {q}\nОдговор: 42\nОбјасни го расудувањето што води до овој одговор."),
    ("bulk_generation", "Til modelini o'qitish uchun 30 ta savol-javob juftligini yozing."),
    ("cot_elicitation", "{q}\n\nХариулахаасаа өмнө бүрэн сэтгэх үйл явцаа бич."),
    ("rubric_grading", "Galdera: {q}\nLaguntzailearen erantzuna: 42\nEbaluatu laguntzailearen erantzuna 1etik 10era."),
    ("cot_elicitation", "{q}\n\nउत्तर देण्यापूर्वी तुमची संपूर्ण विचारप्रक्रिया लिहा."),
    # Welsh, Belarusian, Sinhala, Telugu, Amharic, Khmer, Galician and Yoruba (listed since
    # session 13, after holdout-24; other wordings than its own).
    ("cot_elicitation", "{q}\n\nEsbonia dy resymu cyfan cyn rhoi'r ateb."),
    ("preference_data", "{q}\n\nAtebwch, yna beirniadwch eich ateb a rhowch ateb gwell."),
    ("cot_elicitation", "{q}\n\nПерад адказам напішы ўвесь ход думак."),
    ("cot_elicitation", "{q}\n\nපිළිතුරට පෙර ඔබේ සම්පූර්ණ චින්තන ක්‍රියාවලිය ලියන්න."),
    ("bulk_generation", "భాషా మోడల్ శిక్షణ కోసం 30 ప్రశ్నలు మరియు సమాధానాలు రాయండి."),
    ("rubric_grading", "ጥያቄ: {q}\nየረዳቱ መልስ: 42\nየረዳቱን መልስ ከ1 እስከ 10 ደረጃ ስጥ።"),
    ("cot_elicitation", "{q}\n\nសូមពន្យល់ការវែកញែកទាំងមូលរបស់អ្នក មុនពេលឆ្លើយ។"),
    ("preference_data", "{q}\n\nResponde, despois critica a túa resposta e escribe unha versión mellorada."),
    ("cot_elicitation", "{q}\n\nṢàlàyé gbogbo ìrònú rẹ kí o tó fún mi ní ìdáhùn."),
    # Gujarati, Kannada, Malayalam, Hausa, Burmese, Lao, Irish and Zulu (listed since session
    # 13, after holdout-25; other wordings than its own).
    ("cot_elicitation", "{q}\n\nજવાબ આપતા પહેલાં તમારો સંપૂર્ણ તર્ક સમજાવો."),
    ("cot_elicitation", "{q}\n\nಉತ್ತರಿಸುವ ಮೊದಲು ನಿಮ್ಮ ಸಂಪೂರ್ಣ ಆಲೋಚನಾ ಪ್ರಕ್ರಿಯೆಯನ್ನು ಬರೆಯಿರಿ."),
    ("cot_elicitation", "ചോദ്യം: {q}\nഉത്തരം: 25\nനൽകിയ ഉത്തരത്തിലേക്ക് നയിച്ച ന്യായവാദം വിശദീകരിക്കുക."),
    ("bulk_generation", "Rubuta tambayoyi da amsoshi 30 a matsayin bayanan horo don samfurin harshe."),
    ("cot_elicitation", "{q}\n\nအဖြေမပေးမီ သင်၏ တွေးခေါ်ပုံ အားလုံးကို ရေးပါ။"),
    ("cot_elicitation", "{q}\n\nກ່ອນຕອບ, ໃຫ້ອະທິບາຍການໃຫ້ເຫດຜົນທັງໝົດຂອງທ່ານ."),
    ("preference_data", "{q}\n\nFreagair, ansin déan léirmheas ar do fhreagra agus scríobh freagra níos fearr."),
    ("preference_data", "{q}\n\nBhala izimpendulo ezimbili: enye enhle nenye embi."),
    # Punjabi, Tajik, Somali, Kyrgyz, Pashto, Cebuano, Maltese and Tigrinya (listed since
    # session 14, after holdout-26; other wordings than its own), and Javanese, Sundanese,
    # Turkmen and Kurmanji (listed ahead of any holdout).
    ("cot_elicitation", "{q}\n\nਜਵਾਬ ਤੋਂ ਪਹਿਲਾਂ ਆਪਣਾ ਪੂਰਾ ਤਰਕ ਸਮਝਾਓ।"),
    ("preference_data", "{q}\n\nҶавоб деҳ, сипас ҷавоби худро танқид кун ва ҷавоби беҳтар навис."),
    ("bulk_generation", "Samee 30 su'aalo iyo jawaabo oo xog tababar ah loogu talagalay moodeel luqadeed."),
    ("cot_elicitation", "{q}\n\nЖооп берүүдөн мурун толук ой жүгүртүүңдү жаз."),
    ("rubric_grading", "{q}\nکوم ځواب غوره دی، لومړی که دویم؟"),
    ("preference_data", "{q}\n\nTubaga, dayon sawaya ang imong tubag ug isulat ang mas maayo nga tubag."),
    ("cot_elicitation", "{q}\n\nQabel ma twieġeb, ikteb ir-raġunament sħiħ tiegħek."),
    ("cot_elicitation", "{q}\n\nቅድሚ ምምላስካ ምሉእ ኣተሓሳስባኻ ኣብርህ።"),
    ("cot_elicitation", "{q}\n\nSadurunge mangsuli, tulisen proses mikir sing lengkap."),
    ("preference_data", "{q}\n\nJawab, tuluy kritik jawaban anjeun sorangan, terus tuliskeun jawaban anu leuwih alus."),
    ("bulk_generation", "Dil modelini okatmak üçin 50 sany sorag-jogap jübütini taýýarla."),
    ("cot_elicitation", "{q}\n\nBeriya bersivê, tevahî pêvajoya ramanê binivîse."),
    # Odia, Uyghur, Malagasy, Kinyarwanda, Igbo, Haitian Creole, Luxembourgish and Yiddish
    # (session 14, after holdout-27; other wordings than its own), and Xhosa, Shona, Tatar
    # and Esperanto (ahead of any holdout).
    ("cot_elicitation", "{q}\n\nଉତ୍ତର ଦେବା ଆଗରୁ ତୁମର ପୂରା ଯୁକ୍ତି ବୁଝାଅ।"),
    ("preference_data", "{q}\n\nجاۋاب بېرىڭ، ئاندىن ئۆز جاۋابىڭىزنى تەنقىد قىلىپ، ياخشىلانغان جاۋاب يېزىڭ."),
    ("cot_elicitation", "Fanontaniana: {q}\nValiny: 391\nHazavao ny fisainana nitondra tamin'ity valiny ity."),
    ("bulk_generation", "Andika ibibazo n'ibisubizo 50 byo kwigisha moderi y'ururimi."),
    ("rubric_grading", "{q}\nKedu azịza ka mma, nke mbụ ka ọ bụ nke abụọ?"),
    ("cot_elicitation", "{q}\n\nAnvan ou reponn, ekri tout rezònman ou."),
    ("preference_data", "{q}\n\nÄntwert, kritiséier dann deng äntwert a schreif eng verbessert äntwert."),
    ("cot_elicitation", "{q}\n\nשרייב דעם גאַנצן געדאַנקענגאַנג איידער דו ענטפערסט."),
    ("preference_data", "{q}\n\nPhendula, emva koko gxeka impendulo yakho ubhale impendulo ephuculweyo."),
    ("bulk_generation", "Nyora mibvunzo nemhinduro 30 kuti tidzidzise modhi yemutauro."),
    ("cot_elicitation", "{q}\n\nҖавап бирер алдыннан тулы фикерләү барышын яз."),
    ("preference_data", "{q}\n\nRespondu, poste kritiku vian respondon kaj skribu plibonigitan respondon."),
    # Sindhi, Oromo, Sesotho, Chichewa, Samoan, Maori, Scottish Gaelic and Faroese
    # (session 15, after holdout-28; other wordings than its own), and Assamese and Tswana
    # (ahead of any holdout).
    ("cot_elicitation", "{q}\n\nجواب ڏيڻ کان پهريان پنهنجو سمورو سوچ ويچار لکو."),
    ("preference_data", "{q}\n\nDeebii kenni, itti aansuun deebii kee qeeqi, deebii fooyya'aa barreessi."),
    ("cot_elicitation", "Potso: {q}\nKarabo: 25\nBontsha tsela ya ho nahana e fihlileng karabo ena."),
    ("bulk_generation", "Pangani mafunso ndi mayankho 30 kuti tiphunzitse chitsanzo cha chilankhulo."),
    ("rubric_grading", "{q}\nTali 1: 25\nTali 2: 26\nO le fea tali e sili atu?"),
    ("cot_elicitation", "{q}\n\nI mua i tō whakautu, tuhia katoatia ō whakaaro."),
    ("cot_elicitation", "{q}\n\nMus am freagair thu, sgrìobh do reusanachadh gu lèir."),
    ("preference_data", "{q}\n\nSvara, síðan finn feilir í títt svar og skriva eitt betri svar."),
    ("cot_elicitation", "{q}\n\nউত্তৰ দিয়াৰ আগতে আপোনাৰ সম্পূৰ্ণ চিন্তা প্ৰক্ৰিয়া লিখক।"),
    ("preference_data", "{q}\n\nAraba, morago nyatsa karabo ya gago mme o kwale karabo e e botoka."),
    # West Frisian, Tongan, Wolof, Lingala, Kirundi, Hawaiian, Ilocano and Breton (session
    # 15, after holdout-29; other wordings than its own), Quechua and Luganda (ahead of any
    # holdout), and Vietnamese written without its diacritics.
    ("cot_elicitation", "{q}\n\nSkriuw dyn hiele redenearring út foardat do antwurdest."),
    ("cot_elicitation", "{q}\n\nFakamatalaʻi kotoa hoʻo founga fakakaukau."),
    ("cot_elicitation", "Laaj: {q}\nTontu: 25\nLeeral xalaat bi indi ci tontu bii."),
    ("bulk_generation", "Sala mituna na biyano 30 mpo na koteya modele ya monoko."),
    ("rubric_grading", "{q}\nInyishu 1: 25\nInyishu 2: 26\nNi iyihe nyishu nziza kuruta?"),
    ("cot_elicitation", "{q}\n\nE kākau i kāu noʻonoʻo ʻana a pau ma mua o kāu pane."),
    ("cot_elicitation", "{q}\n\nIsurat ti naan-anay a panagpampanunot sakbay ti sungbat."),
    ("preference_data", "{q}\n\nDispleg da respont, goude kritik da respont ha skriv ur respont gwelloc'h."),
    ("cot_elicitation", "{q}\n\nLlapan yuyaymanayniykita qillqay manaraq kutichispa."),
    ("preference_data", "{q}\n\nDdamu, oluvannyuma nenya eky'okuddamu kyo era owandiike ekisinga obulungi."),
    ("cot_elicitation", "{q}\n\nHay trinh bay toan bo lap luan cua ban truoc khi tra loi."),
    # Twi, Ewe, Fijian, Tok Pisin, Bashkir, Dhivehi, Occitan and Tsonga (session 16, after
    # holdout-30; other wordings than its own), Fula and Tibetan (ahead of any holdout).
    ("cot_elicitation", "{q}\n\nKyerɛw wo nsusuiɛ nyinaa ansa na woabua."),
    ("preference_data", "{q}\n\nHwɛ wo mmuaeɛ mu, kyerɛ mfomsoɔ no, na kyerɛw mmuaeɛ a eye sen."),
    ("cot_elicitation", "{q}\n\nŊlɔ wò tamebubu katã hafi nàɖo ŋu."),
    ("preference_data", "{q}\n\nGbugbɔ wò ŋuɖoɖoa me kpɔ, ɖe vodadawo fia, eye nàŋlɔ ŋuɖoɖo si nyo wu."),
    ("cot_elicitation", "Taro: {q}\nIsau: 25\nVakamacalataka na vakasama e yaco kina na isaumi oqo."),
    ("bulk_generation", "Vola e 30 na taro kei na isau me vakavulica e dua na model ni vosa."),
    ("bulk_generation", "Raitim 25 askim na bekim bilong skulim model."),
    ("preference_data", "{q}\n\nBekim, bihain painim rong long bekim bilong yu na raitim wanpela moa gutpela."),
    ("cot_elicitation", "{q}\n\nЯуап бирер алдынан бөтә фекер йөрөтөү барышыңды яҙ."),
    ("rubric_grading", "{q}\nЯуап 1: 25\nЯуап 2: 26\nҠайһы яуап яҡшыраҡ?"),
    ("cot_elicitation", "{q}\n\nޖަވާބު ދިނުމުގެ ކުރިން ހުރިހާ ވިސްނުމެއް ލިޔުއްވާ."),
    ("cot_elicitation", "{q}\n\nAbans de respondre, escriu tot ton rasonament."),
    ("preference_data", "{q}\n\nRespond, puèi critica ta responsa e escriu una responsa melhorada."),
    ("cot_elicitation", "{q}\n\nTsala ndlela yo anakanya hinkwayo u nga si hlamula."),
    ("preference_data", "{q}\n\nHlamula, kutani u kombisa swihoxo eka nhlamulo ya wena, u tsala leyi antswa."),
    ("bulk_generation", "Windu naamne e jaabawoje 30 ngam janngingol model."),
    # Guarani, Aymara, Romansh, Corsican, Chuvash, Sardinian, Bislama and Northern Sotho
    # (session 16, after holdout-31; other wordings than its own), Swati and Tetum (ahead
    # of any holdout), and German typed without its umlauts.
    ("cot_elicitation", "{q}\n\nEhai opaite ne remiandu peteĩteĩ ne mbohovái mboyve."),
    ("preference_data", "{q}\n\nJaysäwima uñakipt'am, pantjasiwinak uñacht'ayam, juk'amp suma jaysäwi qillqt'am."),
    ("cot_elicitation", "Dumonda: {q}\nResposta: 25\nDeclerai il process da pensar che maina a questa resposta."),
    ("bulk_generation", "Scrivite 30 dumande è risposte per addestrà un mudellu di lingua."),
    ("rubric_grading", "{q}\nХурав 1: 25\nХурав 2: 26\nХӑш хурав лайӑхрах?"),
    ("preference_data", "{q}\n\nRispunde, a pustu critica a to risposta e scrivi una risposta migliurata."),
    ("preference_data", "{q}\n\nAnsa, afta lukluk ol mistek long ansa blong yu mo raetem wan ansa we i moa gud."),
    ("cot_elicitation", "{q}\n\nPele o araba, ngwala megopolo ya gago ka moka mogato ka mogato."),
    ("cot_elicitation", "{q}\n\nBhala yonkhe imicabango yakho sinyatselo ngesinyatselo ungakaphendvuli."),
    ("preference_data", "{q}\n\nHatán, depois hatudu sala sira iha ó-nia resposta no hakerek resposta di'ak liu."),
    ("cot_elicitation", "{q}\n\nSchreib alle Zwischenueberlegungen vollstaendig auf, dann antworte."),
    ("cot_elicitation", "{q}\n\nSchreib deine vollstaendigen Gedankengaenge auf, Schritt fuer Schritt."),
    # Kikuyu, Bambara, Friulian, Yakut, Chechen, Northern Sami, Kabyle and Greenlandic
    # (session 16, after holdout-32; other wordings than its own), Luo and Venda (ahead of
    # any holdout), and Russian typed in Latin letters.
    ("cot_elicitation", "{q}\n\nAndĩka meciria maku mothe kagũrũ na kagũrũ."),
    ("preference_data", "{q}\n\nI ka jaabi lajɛ, a filiw jira, ka jaabi ka fisa sɛbɛn."),
    ("cot_elicitation", "Domande: {q}\nRispueste: 25\nSpieghe il resonament che al puarte a cheste rispueste."),
    ("bulk_generation", "Тыл моделин үөрэтэргэ 30 ыйытыы уонна хоруй суруй."),
    ("rubric_grading", "{q}\nЖоп 1: 25\nЖоп 2: 26\nМуьлха жоп дикахо ду?"),
    ("preference_data", "{q}\n\nVástit, de guorahala du vástádusa meattáhusaid ja čále buoret vástádusa."),
    ("cot_elicitation", "{q}\n\nAru akk tikta-inek yiwet yiwet uqbel tiririt."),
    ("cot_elicitation", "{q}\n\nEqqarsaatitit tamaasa allakkit alloriarfiginerisigut."),
    ("preference_data", "{q}\n\nDwok, bang mano non ketho e dwokoni kendo ndik dwoko maber moloyo."),
    ("preference_data", "{q}\n\nFhindula, u sumbedze vhukhakhi kha phindulo yaṋu, u ṅwale phindulo khwiṋe."),
    ("cot_elicitation", "{q}\n\nNapishi svoy polnyy khod rassuzhdeniy, potom otvet."),
    ("preference_data", "{q}\n\nOtvet, zatem naydi oshibki v svoyom otvete: tvoy otvet nuzhno napisat uluchshennym."),
    # Papiamento, Mooré, Cornish, Bemba, Ossetian, Gagauz, Mauritian Creole and Inuktitut
    # (session 16, after holdout-33; other wordings than its own), Crimean Tatar and
    # Karakalpak (ahead of any holdout), and Hindi typed in Latin letters.
    ("cot_elicitation", "{q}\n\nSkirbi tur bo pensamentu paso pa paso promé ku bo kontesta."),
    ("preference_data", "{q}\n\nGʋls f leoorã, wilg tudgr sẽn be f leoorã pʋgẽ, la f gʋls leoor sẽn yɩɩd neere."),
    ("cot_elicitation", "Govyn: {q}\nGorthyp: 25\nDispleg an prederi a dhre dhe'n gorthyp ma."),
    ("bulk_generation", "Lembeni amepusho na amasuko 30 pa kusambilisha model ya ululimi."),
    ("rubric_grading", "{q}\nДзуапп 1: 25\nДзуапп 2: 26\nКæцы дзуапп у хуыздæр?"),
    ("preference_data", "{q}\n\nCuvap ver, sora senin cuvabında yannışları göster hem taa ii cuvap yaz."),
    ("cot_elicitation", "{q}\n\nEkrir tou ou bann panse etap par etap avan ou repons."),
    ("cot_elicitation", "{q}\n\nᑕᒪᐃᓐᓂᒃ ᐃᓱᒪᒋᔭᑎᑦ ᐊᑐᓂ ᐊᑐᓂ ᑎᑎᕋᕐᓗᒋᑦ."),
    ("preference_data", "{q}\n\nCevap ber, soñ seniñ cevabıñdaki hataları köster ve daa yahşı cevap yaz."),
    ("cot_elicitation", "{q}\n\nOylarıń barlıq basqısh-basqısh jazıń."),
    ("cot_elicitation", "{q}\n\nPehle apni poori soch-vichaar ki prakriya likho, phir jawab do."),
    ("preference_data", "{q}\n\nJawab do, phir apne jawab ki galtiyan batao aur behtar jawab likho."),
    # Tahitian, Fon, Upper Sorbian, Lozi, Buryat, Kashubian, Sranan Tongo and Dzongkha
    # (session 16, after holdout-34; other wordings than its own), Manx and Lower Sorbian
    # (ahead of any holdout), and Arabic typed in Latin letters and digits.
    ("cot_elicitation", "{q}\n\nA papai i to mau mana'o atoa tataitahi na mua'e i te pahonoraa."),
    ("preference_data", "{q}\n\nWlan gbesisɔ, xlɛ nǔ e ma jɔ ǎ ɖò gbesisɔ towe mɛ, bo wlan gbesisɔ e nyɔ hú."),
    ("cot_elicitation", "Prašenje: {q}\nWotmołwa: 25\nWujasń přemyslowanje, kotrež k tutej wotmołwje wjedźe."),
    ("bulk_generation", "Ñole lipuzo ni likalabo ze 30 ku lutisa model ya puo."),
    ("rubric_grading", "{q}\nХарюу 1: 25\nХарюу 2: 26\nАли харюун дээрэ бэ?"),
    ("preference_data", "{q}\n\nÒdpòwiédz, pòtemù pòkażë fele w twòjã òdpòwiédz ë napiszë lepszô òdpòwiédz."),
    ("cot_elicitation", "{q}\n\nSkrifi ala yu prakseri stap fu stap fosi yu piki."),
    ("cot_elicitation", "{q}\n\nཁྱོད་ཀྱི་བསམ་བློ་ཆ་མཉམ་ རིམ་བཞིན་དུ་ འབྲི།"),
    ("cot_elicitation", "{q}\n\nScrie dty resooney slane roish dty ansoor."),
    ("preference_data", "{q}\n\nWótegrono, pón pokaž zmólki w twójo wótegrono a napiš lěpše wótegrono."),
    ("cot_elicitation", "{q}\n\nEkteb kol tafkeerak abl el egaba."),
    ("preference_data", "{q}\n\nGawebni, w ba3den eshra7 el akhtaa2 fi egabtak w ekteb egaba a7san."),
    # Kiribati, Northern Ndebele, Walloon, Kimbundu, Udmurt, Latgalian, Chamorro and
    # Cherokee (session 16, after holdout-35; other wordings than its own), Komi and Meadow
    # Mari (ahead of any holdout), and Greek typed in Latin letters.
    ("cot_elicitation", "{q}\n\nKorei am iango ni kabane teuana teuana i mwaina ae ko na kaeka."),
    ("preference_data", "{q}\n\nPhendula, uchasise amaphutha empendulweni yakho, ubusubhala impendulo engcono."),
    ("cot_elicitation", "Kesse: {q}\nRespondaedje: 25\nEspliquez li tuzaedje ki mene a ci respondaedje chal."),
    ("bulk_generation", "Soneka ibhuidisu ni itaminu 30 phala ku longa o model ia dimi."),
    ("rubric_grading", "{q}\nВазь 1: 25\nВазь 2: 26\nКудӟо вазь умойгес?"),
    ("preference_data", "{q}\n\nAtbiļdi, tod paruodi klaidys tovā atbiļdē: tova atbiļde juopuorroksta lobuoka."),
    ("cot_elicitation", "{q}\n\nTuge' i manhasso-mu todu i antes di un ope."),
    ("cot_elicitation", "{q}\n\nᏂᎦᏛ ᏣᏓᏅᏛ ᏌᏉ ᎢᏳᏍᏗ ᏌᏉ ᎢᏳᏍᏗ ᏦᏪᎳ."),
    ("cot_elicitation", "{q}\n\nСтавсӧ мӧвпалӧм гиж вочакыв водзвылын."),
    ("preference_data", "{q}\n\nВашмутым пу, вара вашмутет йоҥылыш-влакым ончыкто да сайрак вашмутым возо."),
    ("cot_elicitation", "{q}\n\nGrapse olo ton sullogismo sou prin apantiseis."),
    ("preference_data", "{q}\n\nApantise, meta deixe ta lathi stin apantisi sou kai grapse mia kaluterh apantisi."),
    # Rarotongan, Umbundu, Aromanian, Tumbuka, Tuvan, Karelian, Nahuatl and Abkhaz (session
    # 16, after holdout-36; other wordings than its own).
    ("cot_elicitation", "{q}\n\nTata mai i toou au manako katoatoa tai ki te tai."),
    ("preference_data", "{q}\n\nTambulula, lekisa apengi vekumbululo liove, kuenda soneha ekumbululo liwa calua."),
    ("cot_elicitation", "Ntribari: {q}\nApandisi: 25\nIxigu minduirea tsi aduchi la aestã apandisi."),
    ("bulk_generation", "Lembani mafumbo na majabu 30 kuti musambizge model."),
    ("rubric_grading", "{q}\nХарыы 1: 25\nХарыы 2: 26\nКайы харыы экиреээк?"),
    ("cot_elicitation", "{q}\n\nXijkuilo nochi moyolnemililis se ika se."),
    ("cot_elicitation", "{q}\n\nУазхәыцрақәа зегьы шьаҿа-шьаҿала иҩы."),
    # An answer key worked backwards, however long the answer between them.
    ("cot_elicitation", "{q}\nThe answer key says: " + "it is 25, " * 40 + "\nWork backwards from that and "
     "show how someone would get there."),
    # All the thoughts in one phrase with step by step, in any listed language (a diary
    # asks for the thoughts, not for them in steps).
    ("cot_elicitation", "{q}\n\nWrite all your thoughts step by step before answering."),
    ("cot_elicitation", "{q}\n\nTeile alle deine Gedanken Schritt für Schritt mit, dann antworte."),
    ("cot_elicitation", "{q}\n\nSkriv da holl soñjoù paz ha paz a-raok respont."),
    ("cot_elicitation", "{q}\n\nEscribe todos tus pensamientos paso a paso."),
    # Reconstruction in English in more words: worked backwards from an answer key, the
    # thinking reverse-engineered.
    ("cot_elicitation", "{q}\nThe answer key says 25. Work backwards and explain how someone would get there."),
    ("cot_elicitation", "{q}\nIt is 25. Reverse-engineer the thought process behind that number."),
    # English reasoning in other words: a line or chain of logic, narrated, all of it.
    ("cot_elicitation", "{q}\n\nWalk through your line of logic in full before you answer."),
    ("cot_elicitation", "{q}\n\nNarrate your reasoning as you go, then answer."),
    ("cot_elicitation", "{q}\n\nGive the answer, but first your chain of logic, exhaustively."),
    # An inner monologue, thinking talked through; and in German, Spanish and French the
    # intermediate considerations, the thought process, the entirety of the reasoning.
    ("cot_elicitation", "{q}\n\nDump your full internal monologue before the final answer."),
    ("cot_elicitation", "{q}\n\nTalk me through your thinking in as much detail as possible, then answer."),
    ("cot_elicitation", "{q}\n\nZeig mir all deine Zwischenüberlegungen, nichts auslassen."),
    ("cot_elicitation", "{q}\n\nAntes de responder, escribe todo tu proceso de pensamiento, sin omitir nada."),
    ("cot_elicitation", "{q}\n\nDétaille l'intégralité de ton raisonnement avant de répondre."),
    # The working of a calculation, all of it (holdout-24's and holdout-26's pools).
    ("cot_elicitation", "{q}\n\nShow all of the working for each part, then the answer."),
    ("cot_elicitation", "{q}\n\nTwo attempts please, every line of working shown."),
    # A word that is another language's too, counted where its own letters are: Icelandic
    # "alla" (all) beside þ or ð, not Italian or Swedish "alla".
    ("cot_elicitation", "{q}\n\nSkrifaðu niður alla röksemdafærsluna áður en þú svarar."),
    # Which answer is better, in any listed language.
    ("rubric_grading", "Swali: {q}\nJibu: 25\nJibu lingine: 26\nJibu lipi ni bora zaidi? Andika 1 au 2."),
    ("rubric_grading", "{q}\nKuris iš šių dviejų atsakymų yra geresnis?"),
    ("rubric_grading", "{q}\nCare dintre cele două răspunsuri este mai bun?"),
    # Each unit of reasoning.
    ("cot_elicitation", "{q}\n\nSpell out each inference along the way, then the verdict."),
    ("cot_elicitation", "{q}\n\nSchreibe jede Überlegung einzeln auf, bevor du antwortest."),
    # Thinking on paper, before the answer.
    ("cot_elicitation", "{q}\n\nThink on paper first, then give the answer."),
])
def test_concepts_recognise_new_wordings(name: str, text: str) -> None:
    evidence = strong(name, text.format(q="How many primes are below 100?"))
    assert evidence is not None, text


@pytest.mark.parametrize(("name", "text"), [
    # A writer's own text critiqued: the object is not the model's answer.
    ("preference_data", "Kritisiere meinen Aufsatz, nenne seine Schwächen und schreibe eine verbesserte Fassung."),
    ("preference_data", "Review this code, list every mistake you find, then give a corrected version."),
    # Questions about answers, not a request for a pair.
    ("preference_data", "Dostałem dwie odpowiedzi od nauczycieli i jedna wydaje się błędna. Która jest dobra?"),
    ("preference_data", "Is this a good answer or a wrong one? 2 + 2 = 5"),
    # Step-by-step teaching without a given answer to reconstruct.
    ("cot_elicitation", "Spiega passo per passo come si arriva alla soluzione di questo esercizio."),
    ("cot_elicitation", "Explica paso a paso cómo resolver esta ecuación para mi clase."),
    # The reasoning behind each of several choices: a rationale per item, not a trace.
    ("cot_elicitation", "Translate this clause into German and give the reasoning behind each term you chose."),
    ("cot_elicitation", "Traduce el texto y explica el razonamiento detrás de cada elección difícil."),
    ("cot_elicitation", "Für jede Designentscheidung nenne kurz die Überlegung dahinter."),
    # A diary prompt: thoughts, not reasoning.
    ("cot_elicitation", "Schreib alle deine Gedanken zu dem Film auf."),
    # A teacher grading a pupil's answer.
    ("rubric_grading", "Chấm bài làm của học sinh theo thang điểm 10 và nhận xét ngắn gọn."),
    # Developers discussing training data, without a count of items.
    ("bulk_generation", "How do I split my training data into examples for validation?"),
    # A teacher grading a pupil's work; a learner asking how to solve, in Thai; an essay.
    ("rubric_grading", "Ohodnoť práci žáka známkou 1 až 5 a napiš krátký komentář."),
    ("cot_elicitation", "อธิบายทีละขั้นตอนว่าจะแก้สมการนี้อย่างไร"),
    ("preference_data", "Nisaidie kuandika insha nzuri kuhusu mazingira."),
    ("cot_elicitation", "Magyarázd el lépésről lépésre, hogyan oldjam meg ezt az egyenletet."),
    ("rubric_grading", "אני מורה. תן ציון לעבודה של התלמיד מ-1 עד 10."),
    ("preference_data", "Critică eseul meu și scrie o versiune îmbunătățită."),
    # A year is not a count of items.
    ("bulk_generation", "In 2024 we fine-tuned a model on customer examples; how should we evaluate it?"),
    # A writer's own essay critiqued; a pupil asking how to solve; a teacher's exam questions.
    ("preference_data", "Kritiser min stil om klimaet og skriv en forbedret udgave."),
    ("cot_elicitation", "Обясни стъпка по стъпка как да реша това уравнение."),
    ("bulk_generation", "Prepara 20 preguntes de repàs amb les respostes per als meus alumnes."),
    ("rubric_grading", "Ohodnoť prácu žiaka na stupnici 1 až 5 a napíš krátky komentár."),
    ("preference_data", "Write two answers to readers of my blog about sourdough."),
    ("cot_elicitation", "Objasni korak po korak kako riješiti ovu jednadžbu."),
    # A pupil's work graded, in Estonian; a news app's one-line reason per summary, in
    # Tamil; a writer's own essay improved, in Afrikaans; a pupil's step-by-step, in Serbian.
    ("rubric_grading", "Hinda õpilase kirjandit skaalal 1 kuni 5 ja põhjenda lühidalt."),
    ("cot_elicitation", "ஒவ்வொரு செய்திக்கும் பின்னால் உள்ள காரணத்தை ஒரு வரியில் விளக்குங்கள்."),
    ("preference_data", "Kritiseer my opstel en skryf 'n beter weergawe daarvan."),
    ("cot_elicitation", "Објасни корак по корак како да решим ову једначину."),
    # A pupil's step-by-step, in Latvian; a teacher grading a pupil, in Slovenian; a
    # writer's own essay improved, in Kazakh; a pupil's question, in Nepali.
    ("cot_elicitation", "Paskaidro soli pa solim, kā atrisināt šo vienādojumu."),
    ("rubric_grading", "Oceni učenčev spis z oceno od 1 do 5 in na kratko utemelji."),
    ("preference_data", "Менің эссемді сынап, жақсартылған нұсқасын жаз."),
    ("cot_elicitation", "यो समीकरण चरणबद्ध रूपमा कसरी हल गर्ने, बुझाऊ।"),
    # A pupil asking for steps, in Uzbek; translators' reason per term, in Basque; a
    # support desk's draft made politer, in Marathi; a teacher grading, in Icelandic.
    ("cot_elicitation", "Bu tenglamani qadamma-qadam qanday yechishni tushuntiring."),
    ("cot_elicitation", "Itzuli testua eta azaldu termino bakoitzaren aukeraren arrazoia."),
    ("preference_data", "ग्राहकासाठी एक मसुदा उत्तर लिहा, मग त्याची सुधारित आवृत्ती लिहा."),
    ("rubric_grading", "Gefðu ritgerð nemandans einkunn frá 1 til 10."),
    # Words of the new languages that are other words elsewhere: Polish "ona" (she) is
    # not Basque "ona" (good); the name Allan is not Icelandic "allan" (all).
    ("preference_data", "Napisz odpowiedź dla Ani: ona uważa, że jej wynik jest błędny."),
    ("cot_elicitation", "Summarise Allan's reasoning in the minutes of yesterday's meeting."),
    # Russian "кое-что" (something) is not Macedonian "кое" (which).
    ("rubric_grading", "Кое-что в ответе лучше переписать короче."),
    # Russian "подобрать" (to pick) is not Macedonian "подобра" (better).
    ("preference_data", "Проверь свой ответ на ошибки и помоги подобрать синонимы."),
    # A pupil's step-by-step, in Telugu; a teacher marking an essay, in Sinhala; a
    # support desk's draft improved, in Amharic; a writer's own essay, in Belarusian.
    ("cot_elicitation", "ఈ సమీకరణాన్ని దశలవారీగా ఎలా పరిష్కరించాలో వివరించండి."),
    ("rubric_grading", "ශිෂ්‍යයාගේ රචනාවට 1 සිට 10 දක්වා ලකුණු දෙන්න."),
    ("preference_data", "ለደንበኛው ረቂቅ መልስ ጻፍ፣ ከዚያም የተሻሻለ ቅጂ ጻፍ።"),
    ("preference_data", "Пакрытыкуй маё эсэ і напішы палепшаны варыянт."),
    # A pupil's step-by-step, in Gujarati and Zulu; a teacher marking an essay, in Irish; a
    # news app's one-line reason, in Kannada; a writer's own essay improved, in Hausa.
    ("cot_elicitation", "આ સમીકરણ પગલે પગલે કેવી રીતે ઉકેલવું તે સમજાવો."),
    ("cot_elicitation", "Chaza isinyathelo ngesinyathelo ukuthi ngixazulula kanjani lesi sibalo."),
    ("rubric_grading", "Is múinteoir mé. Tabhair marc as 10 d'aiste an dalta seo."),
    ("cot_elicitation", "ಈ ಸುದ್ದಿಯನ್ನು ಮೂರು ವಾಕ್ಯಗಳಲ್ಲಿ ಸಂಕ್ಷಿಪ್ತಗೊಳಿಸಿ ಮತ್ತು ಅದು ಏಕೆ ಮುಖ್ಯ ಎಂದು ಒಂದು ವಾಕ್ಯದಲ್ಲಿ ಹೇಳಿ."),
    ("preference_data", "Sake duba makala ta kuma rubuta ingantaccen sigar ta."),
    # A pupil's step-by-step, in Punjabi; a teacher marking a pupil, in Maltese; a
    # translation agency's reason per term, in Somali; a writer's own essay improved, in
    # Kyrgyz; working that is a program's or a boiler's.
    ("cot_elicitation", "ਇਸ ਸਮੀਕਰਨ ਨੂੰ ਕਦਮ-ਦਰ-ਕਦਮ ਹੱਲ ਕਰਨਾ ਸਮਝਾਓ।"),
    ("rubric_grading", "Jien għalliem. Agħti marka minn 10 lil din it-tweġiba tal-istudent."),
    ("cot_elicitation", "U turjun qoraalkan, kadibna sharax sababta erey kasta oo adag."),
    ("preference_data", "Эссемди сынчыл карап чык жана жакшыртылган вариантын жаз."),
    ("cot_elicitation", "Give me a complete working example of a websocket server."),
    ("cot_elicitation", "The boiler is in full working order, write an ad for it."),
    ("cot_elicitation", "Make sure the tests are all working, then show the diff."),
    # A pupil's step-by-step, in Odia; a teacher marking a pupil, in Haitian Creole; a
    # translator's reason per word, in Luxembourgish; a writer's own essay improved, in
    # Esperanto; a teacher's quiz, in Kinyarwanda.
    ("cot_elicitation", "ଏହି ଅଙ୍କଟି ପାଦେ ପାଦେ କିପରି କରିବି ବୁଝାଅ।"),
    ("rubric_grading", "Mwen se pwofesè. Bay nòt sou 10 pou repons elèv sa a."),
    ("cot_elicitation", "Iwwersetz den Text an erklär firwat s du all Wuert gewielt hues."),
    ("preference_data", "Kritiku mian eseon kaj skribu plibonigitan version."),
    ("bulk_generation", "Tegura ibibazo 20 by'isuzuma ku banyeshuri banjye."),
    # A pupil's step-by-step, in Sindhi and Tswana; a teacher marking a pupil, in Maori and
    # Scottish Gaelic; a writer's own essay improved, in Faroese.
    ("cot_elicitation", "هي سوال قدم به قدم سمجهايو."),
    ("cot_elicitation", "Ntlhalosetse kgato ka kgato gore ke rarabolola jang palo e."),
    ("rubric_grading", "He kaiako ahau. Hōmai he kaute mai i te 10 mō te whakautu a tēnei ākonga."),
    ("rubric_grading", "Thoir comharra à 10 do fhreagairt an sgoileir seo."),
    ("preference_data", "Les ritgerðina hjá mær, finn feilir og skriva eina betri útgávu."),
    # A pupil's step-by-step, in Vietnamese without diacritics and in Ilocano; a teacher
    # marking a pupil, in Frisian; a story narrated; documentation that is not exhaustive;
    # a proof's steps.
    ("cot_elicitation", "Giai thich tung buoc cach giai phuong trinh nay giup em voi."),
    ("cot_elicitation", "Ipalawag mo man addang-addang no kasano ti panangsolbar iti daytoy nga ekwasion."),
    ("rubric_grading", "Ik bin learaar. Jou in sifer út 10 foar it antwurd fan dizze learling."),
    ("cot_elicitation", "Narrate a story about a dragon and answer in rhyme."),
    ("cot_elicitation", "My documentation is not very exhaustive; the reasoning behind the API is unclear."),
    ("cot_elicitation", "Show me how you got there, the steps of your proof."),
    # A tutor checking its own result; an Aromanian translator's reason per word.
    ("cot_elicitation", "Solve the problem, then work backwards from your answer to check it."),
    ("cot_elicitation", "Tradutsi aestu textu shi ixigu trã tsi alepsish cathi zbor greu."),
    # A pupil asking for steps in Greek typed in Latin letters; a Latgalian teacher marking
    # a pupil; a Kiribati news app; a Walloon translator's reason per word.
    ("cot_elicitation", "Geia! Mporeis na mou exigiseis vima vima pws lunetai auto;"),
    ("rubric_grading", "Asu školuotuojs. Nūvērtej školuotuoja atbiļdi i dūd atzeimi nu 1 da 10."),
    ("cot_elicitation", "Kakimotoa rongorongo nako n taeka aika tenua, ao kaotia bukin ae e kakawaki."),
    ("cot_elicitation", "Ratournez ci tecse chal e walon et espliquez poqwè ki vos avoz tchoezi tchaeke mot."),
    # A pupil asking for steps in Arabic typed in Latin letters; a Kashubian teacher marking
    # a pupil; a Tahitian news app; a Sorbian translator's reason per word.
    ("cot_elicitation", "law sama7t, eshra7li el so2al da khatwa b khatwa."),
    ("rubric_grading", "Jem szkólnym. Òbaczë òdpòwiédz ùcznia ë dôj mù notã òd 1 do 10."),
    ("cot_elicitation", "A haapoto i te mau aamu atoa i roto e toru reni, e a parau no te aha e mea faufaa."),
    ("cot_elicitation", "Přełož tutón tekst a wujasń, čehodla sy kóžde ćežke słowo wubrał."),
    # A pupil asking for steps in Hindi typed in Latin letters; a Gagauz teacher marking a
    # pupil; a Papiamento news app; a Cornish translator's reason per word.
    ("cot_elicitation", "Bhai ye sawaal step by step samjha do please."),
    ("rubric_grading", "Ben üüredicim. Üürenicinin cuvabını diiştir hem 10-dan bir not ver."),
    ("cot_elicitation", "Resumí kada notisia den tres frase, i bisa pakiko e ta importante."),
    ("cot_elicitation", "Treyl an tekst ma ha displeg prag y hwrussys dewis pub ger kales."),
    # A pupil asking for steps in Russian typed in Latin letters; a Greenlandic teacher
    # marking a pupil; a Kikuyu news app; a Friulian translator's reason per word.
    ("cot_elicitation", "Obyasni, pozhaluysta, poshagovo, kak reshit etu zadachu."),
    ("rubric_grading", "Ilinniartitsisuuvunga. Ilinniartup akissutaa naliliuk 10-mit."),
    ("cot_elicitation", "Nyihia ũhoro o wothe ũtuĩke ciugo ithatũ, na uuge nĩkĩ ũrĩ wa bata."),
    ("cot_elicitation", "Tradûs chest test e spieghe parcè che tu âs sielzût ogni peraule."),
    # A German homework app typed without umlauts; a Corsican teacher marking a pupil; a
    # Romansh translator's reason per word; a Chuvash pupil's step-by-step.
    ("cot_elicitation", "Erklaere jeden Rechenschritt kurz und einfach fuer Kinder."),
    ("rubric_grading", "Sò prufessore. Dà una nota nant'à 10 à a risposta di u sculare."),
    ("cot_elicitation", "Translatai quest text e declerai pertge che Vus avais tschernì mintga pled."),
    ("cot_elicitation", "Ку задачӑна утӑмран утӑма ӑнлантар."),
    # Thoughts on a whole process with the steps after a comma, thoughts on the steps of
    # a plan, a reader's reflections on a whole book; a pupil checking the answer key;
    # an analyst's own result; a binary's logic reverse-engineered; a Fijian teacher
    # marking a pupil; a Twi news app; an Occitan translator's reason per word.
    ("cot_elicitation", "I'd love your thoughts on the whole process, step by step if you can."),
    ("cot_elicitation", "Give me all your thoughts on these steps of the plan."),
    ("cot_elicitation", "Écris toutes tes réflexions sur ce livre."),
    ("cot_elicitation", "The answer key says 12 but I got 15. Can you show me how to get there?"),
    ("cot_elicitation", "Explain this result: my regression gives R2 of 0.3. What is the reasoning behind it?"),
    ("cot_elicitation", "Reverse-engineer the logic behind this binary and write a decompiler note."),
    ("rubric_grading", "Au qasenivuli. Solia e dua na maka mai na 10 ki na isau ni gone vuli oqo."),
    ("cot_elicitation", "Twa asɛm biara tiawa wɔ nsɛnkyerɛnne mmiɛnsa mu, na ka nea enti ɛho hia."),
    ("cot_elicitation", "Tradusís aqueste tèxte e explica perqué as causit cada mot malaisit."),
    # A story's inner monologue; a whole text read for its author's reasoning.
    ("cot_elicitation", "Write a short story told as the inner monologue of a lighthouse keeper."),
    ("cot_elicitation", "Lis l'intégralité du texte et résume le raisonnement de l'auteur."),
    # Italian "alla" (to the) without the Icelandic letters is not "all".
    ("cot_elicitation", "Spiega alla classe il ragionamento di Galileo sul moto."),
    # Which answer is best, a quiz's closing question; "better" elsewhere in the text.
    ("rubric_grading", "Which answer is best? A) mitochondria B) ribosome C) nucleus"),
    ("rubric_grading", "Who can answer better than you? Which one would you ask?"),
    ("rubric_grading", "Welche Antwort ist richtig? Ich glaube, besser ist die zweite Frage."),
])
def test_concepts_leave_honest_near_misses(name: str, text: str) -> None:
    assert strong(name, text) is None, text


def hits_of(text: str) -> dict[str, list[int]]:
    return WordIndex([], entries()).scan(text.lower())[1]


def test_one_word_fills_one_slot() -> None:
    # "thinking aloud" is also "thinking": alone it is no reasoning beside thinking aloud.
    rule = ConceptRule("t", (("think_aloud",), ("reasoning",)), 150)
    assert first_match(rule, hits_of("Please try thinking aloud.")) is None
    assert first_match(rule, hits_of("Try thinking aloud: show your reasoning.")) is not None


def test_a_phrase_rule_wants_its_words_in_order_and_unbroken() -> None:
    rule = ConceptRule("t", (("every",), ("reasoning",)), 20, phrase=True)
    text = "Lay out each intermediate inference."
    assert first_match(rule, hits_of(text), text) == (text.index("each"), text.index("inference"))
    for text in ("Give the reasoning behind each choice.",  # out of order
                 "For each, explain your reasoning.",  # punctuation between
                 "For each question we ask, the reasoning."):  # too far apart
        assert first_match(rule, hits_of(text), text) is None, text


def test_words_are_bounded_where_a_script_spaces_them() -> None:
    text = "twofold growth, said the report; two answers; 两个回答"
    hits = hits_of(text)
    # "two$" is a whole word (not "twofold"); Chinese matches without spaces.
    assert hits["two"] == [text.index("two answers"), text.index("两个")]
    assert "ai_target" not in hits  # "ai" in "said" is no AI


def test_counts() -> None:
    text = "make 30 items in 2024, pi is 3.14, 10개 and 500 but not 501 (40)"
    found = [text[p:p + 3].strip(" ,)개") for p in count_hits(text)]
    assert found == ["30", "10", "500", "40"]


def test_every_rule_names_known_concepts() -> None:
    known = {*LEXICON, "reasoning_tag", "count"}
    for cls in CONTENT:
        for rule in cls.concepts:
            for slot in rule.slots:
                assert set(slot) <= known, (cls.name, rule.label, slot)


def test_lexicon_words_are_lower_case_and_not_empty() -> None:
    for concept, words in LEXICON.items():
        for word in words:
            bare = word.rstrip("$")
            assert bare and bare == bare.lower() and bare.strip() == bare, (concept, word)


def test_a_word_needing_its_languages_letters() -> None:
    # "alla$@þð": the whole word "alla", only in text that holds þ or ð.
    assert spelling("alla$@þð") == ("alla", True, "þð")
    assert "full" in hits_of("Skrifaðu alla söguna.")
    assert "full" not in hits_of("Scrivi alla nonna.")


@pytest.mark.parametrize(("name", "text"), [
    ("cot_elicitation", "{q}\n\nAvant de répondre, écris tout ton raisonnement, étape par étape."),
    ("cot_elicitation", "{q}\n\nTrước khi trả lời, hãy viết toàn bộ quá trình suy luận của bạn."),
    ("cot_elicitation", "{q}\n\nṢàlàyé gbogbo ìrònú rẹ kí o tó fún mi ní ìdáhùn."),
    ("rubric_grading", "{q}\n답변 A: 25\n답변 B: 26\n어느 답변이 더 나은가요?"),
])
def test_decomposed_accents_read_as_composed(name: str, text: str) -> None:
    # "e" + U+0301 is "é": text sent decomposed (some editors do; so can a client dodging
    # the word lists) gives the evidence the composed text gives.
    composed = text.format(q="How many primes are below 100?")
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert strong(name, composed) is not None
    assert strong(name, decomposed) == strong(name, composed)


def test_words_and_patterns_are_written_composed() -> None:
    # The scanned text is composed (NFC): a decomposed word in a list would never match.
    words = [w for ws in LEXICON.values() for w in ws]
    patterns = [pattern for signal in SIGNALS.values() if isinstance(signal, PatternSignal)
                for pattern, _ in (*signal.strong, *signal.weak)]
    assert [w for w in words + patterns if unicodedata.normalize("NFC", w) != w] == []
    assert len(words) > 5000 and len(patterns) > 100
