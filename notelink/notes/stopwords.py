"""Stop words in the language of each note: vaults mix languages, and a German note's "und" is as empty as an
English note's "and".

A note's language is the one of 30 whose function words it uses most (counted over all its tokens; ties,
and notes with too few of them, see MIN_SHARE and MIN_DISTINCT, keep English as before). Only that
language's words are dropped from the note, so a word
that is a function word in one language and a content word in another ("die", "war", "gift") is kept
where it means something. French, Italian and Catalan elisions ("l'application") lose their article.
Scripts without spaces (Chinese, Thai, Khmer) are tokenized as bigrams and have no list; Japanese drops its
hiragana bigrams. The lists are NFKC-normalised, as the tokenizer's text is.

The lists are short and hand-written: articles, pronouns, prepositions, conjunctions and auxiliaries,
not the long "anything frequent" lists, because IDF already discounts frequent content words.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from notelink.notes.tokenizer import STOPWORDS, tokenize

ENGLISH = "en"

_WORDS = {
    "de": """aber alle allem allen aller alles als also am an andere anderem anderen anderer anderes auch auf
        aus bei beim bin bis bist da damit dann das dass dein deine deinem deinen deiner dem den denn der des
        dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer
        eines er es etwas euch euer eure für gegen habe haben hast hat hatte hier ich ihm ihn ihnen ihr ihre
        ihrem ihren ihrer im in ins ist jede jedem jeden jeder jedes kann kannst kein keine keinem keinen
        keiner können könnt könnte könnten man mehr mein meine mich mir mit möchte möchten möchtest muss
        musst müssen nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind
        so soll sollen sollst sollte sollten sondern um und uns unser unsere unter vom von vor war waren was
        weil welche welchem welchen welcher welches wenn wer werden wie wieder will willst wir wird wirst wo
        wollen wurde wurden zu zum zur zwischen über darf dürfen""",
    "fr": """ai au aux avec avez avoir avons ce ceci cela celle celles celui ces cet cette ceux chaque comme
        dans de des donc dont du elle elles en entre est et été étaient était être eux il ils je la le les
        leur leurs lui ma mais me même mes moi mon ne ni nos notre nous on ont ou où par pas peut peuvent
        pouvez pouvons plus pour qu que quel quelle quelles quels qui sa sans se ses si son sont sur ta te
        tes toi ton tous tout toute toutes tu un une vos votre vous ça aussi très après avant chez
        contre depuis pendant sous vers""",
    "es": """al algo algunas algunos ante antes como con contra cual cuales cuando de del desde donde durante
        el ella ellas ellos en entre era eran es esa esas ese eso esos esta está están estas este esto estos
        fue fueron ha han hay la las le les lo los más me mi mis muy ni no nos nosotros otra otras otro
        otros para pero por porque puede pueden puedes que qué se sea ser si sí sin sobre su sus también te
        tiene tienen tu tú tus un una uno unos unas usted ustedes vez ya yo""",
    "it": """ad al alla alle allo agli ai anche ancora che chi ci come con cui da dal dalla dalle dai dei del
        della delle dello degli di dove ed era essere fra gli ha hai hanno ho il in io la le lei li lo loro
        lui ma mi mia mie miei mio ne nei nel nella nelle nello noi non ogni per perché più può puoi
        questa queste questi questo qui se si sia sono su sua sue sui sul sulla suo suoi ti tra tu tua tuo
        tuoi un una uno vi voi è""",
    "pt": """ao aos as até com como da das de dela dele do dos ela elas ele eles em entre era essa esse esta
        está estão este eu foi há isso isto já lhe mais mas me meu minha muito na nas não nem no nos nós os
        ou para pela pelas pelo pelos pode podem por porque qual quando que se sem ser seu seus sua suas
        são também te tem têm um uma umas uns você vocês é""",
    "nl": """aan al alle als ben bij dan dat de deze die dit door dus een en er geen had heb hebben heeft het
        hier hij hoe hun ik in is je jij jouw kan kun kunnen kunt maar me meer met mij mijn na naar niet nog
        nu of om omdat ons onze ook op over te toe tot uit uw van veel voor wanneer waren was wat we wel werd
        wie wij wordt worden zal ze zich zij zijn zo zonder zou""",
    "sv": """alla allt att av blev bli blir de dem den denna deras dess det detta dig din dina ditt du där då
        efter eller en ett från för ha hade han hans har henne hennes hon honom hur här inte jag kan kunde
        man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på sedan sig
        sin sina sitt ska skall skulle som så till under upp ut utan vad var vara varit vi vid vilka vilken
        vilket är än över""",
    "da": """af alle alt at blev bliver da de dem den denne der deres det dette dig din dine disse dit du
        efter eller en end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvis
        hvor ikke ind jeg jer kan kunne man mange med meget men mig min mine mit mod når og også om op os
        over på sig sin sine sit skal skulle som så til ud under var vi vil ville være været""",
    "no": """alle alt andre at av bare ble blir da de dem den denne der deres det dette deg din dine disse
        ditt du eller en er et etter for fra før han hans har hadde her hun hva hvis hvor ikke inn jeg kan
        kunne man mange med meg men min mine mitt mot mye noe noen når og også om opp oss over på seg sin
        sine sitt skal skulle som så til under ut uten var vi vil ville være vært""",
    "fi": """ei eivät en et että hän he ja jo joka jos jotka kanssa koska kuin kun me mikä minä minun mitä
        mukaan mutta myös ne niin nyt ole olen olet oli olivat olla on ovat se sekä sen siinä sinun sinä
        sitten sitä tai te tämä tämän tässä vaan voi voit voidaan""",
    "pl": """aby ale bez bo być był była było były będzie co czy dla do gdy gdzie go ich im jak jako je jej
        jego jest jeszcze jeśli już ją każdy kiedy która które którego który ma mają może można mnie na nad
        nie nic nim od oraz po pod przez przy się są ta tak także te tego tej ten to tu tylko tym we
        wszystko za ze że żeby""",
    "cs": """aby ale ani až bez by byl byla bylo byly být co či do jak jako je jeho její jen jestli ještě
        již jsem jsi jsme jsou jste kde když ke která které kterou který mezi mi mít mohou může na nad ne
        nebo než od pak po pod pro proto při se si tak také tam to tedy ten tento této tím už ve však za ze
        že""",
    "sk": """aby ako alebo aj až bez by bol bola boli bolo byť či do ho ich je jeho jej ju kde keď ktorá
        ktoré ktorý ku lebo len má majú medzi môže môžete na nad nie od po pod pre pri sa si so sú ste tak
        tam to tu už vo však za že""",
    "id": """ada adalah agar akan anda atau bagi bahwa bisa dalam dan dapat dari dengan di ia ini itu jika
        juga ke kami kamu karena kita lebih maka mereka oleh pada para saat saja sangat sebagai sedang
        sehingga seperti sudah tersebut tetapi untuk yang""",
    "ca": """al als amb aquest aquesta aquests aquestes com de del dels des el els en ens entre era es és
        està ha han hi ho la les li més molt no on pel pels per però perquè pot poden quan que qui se si
        sense ser seu seva seus seves són sobre també un una uns unes va vostra vostre""",
    "ro": """acest această aceasta acestea al ale are au ca care ce cu cum dacă dar de din după este el ea
        ei eu fi fost în îl la le lor lui mai mult ne nici nu pe pentru poate prin sau să se sunt și şi tu
        un una unei unui va vă""",
    "hu": """az azt azok amely amelyek ami amit aki be csak de egy el ez ezt ezek fel ha hogy igen illetve
        is kell ki lehet le lesz meg mert még mint már minden nem nincs pedig szerint után van vannak vagy
        volt és így úgy""",
    "tr": """ama bir bu bunu bunun da daha de diye en gibi hem her için ile ise kadar ki mi mu ne olan olarak
        ve veya ya çok şu""",
    "ru": """без более бы был была были было быть вам вас весь во вот все всё вы где да для до его ее её
        если есть еще ещё же за из или им их как когда кто ли либо мне может мы на над не него нее неё нет
        ни них но об однако он она они оно от по под при со так также такой там те тем то того тоже той
        только том ты уже чем что чтобы эта эти это этот""",
    "uk": """або але без би був була були було бути вам вас весь від він вона вони воно все всі де для до
        його її їх з за зі й і із коли лише ми може можна можуть на над не немає ні нього них по під при
        про та так також те тим то тобто тому треба тут у усі це цей ці ця через чи що щоб як яка яке які
        який якщо є ваш ваша ваше ваші свій своє свої себе ще вже між після перед""",
    "el": """για να και το τα η ο οι της του των την τον τη τις τους σε στο στη στην στον στα στις στους με
        από ως που πως ότι είναι ήταν δεν θα αν ή ένα μια μία ένας ενός μιας αυτό αυτή αυτός αυτά αυτές
        αυτοί αυτού αυτής σας μας έχει έχουν έχετε μπορεί μπορείτε μπορούν όταν όπως επίσης πιο κάθε μόνο
        όλα όλες όλοι αλλά ενώ μέσα πριν μετά χωρίς προς κατά έτσι εδώ εκεί τι δε μη μην είσαι είστε
        θέλετε μέσω""",
    "vi": """các và của là có được cho trong một những này với để không khi từ thì đã sẽ bạn tôi chúng
        nó đó cũng như về hoặc nếu theo trên vào ra lại nhưng mà vì nên rằng bị đang rất hơn nhiều thể
        việc sau trước giữa tại bằng nào gì ở hay cả đến làm còn chỉ mỗi ta họ mình điều""",
    "bn": """এবং ও যে এই সেই একটি একটা করে করা করতে করুন করবেন করেন হয় হবে হয়েছে হয়ে হলে আছে
        নেই না কি কী কোন কোনো থেকে জন্য দিয়ে সঙ্গে সাথে মধ্যে উপর পর আগে যদি তবে কিন্তু অথবা বা
        তাহলে আপনি আপনার আপনাকে আমি আমার আমরা আমাদের তুমি তারা তার তাদের এটি এটা এর সব সকল যা
        যেমন যখন তখন এখানে সেখানে পারেন পারবেন রয়েছে দেখুন ব্যবহার এক""",
    "hi": """का की के में है हैं और को से पर यह वह एक भी था थी थे हो होता होती होते कर करने करें किया
        लिए तो ही जो कि ने या नहीं अपने अपनी आप आपके आपकी इस उस इसे उसे कुछ सकते सकता जब तक अगर
        लेकिन बहुत सभी""",
    "ar": """في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين أن ان إن لا ما هو هي هم أو او ثم
        كل قد كان كانت يكون لم لن بعد قبل عند حتى أي بين كما لكن أيضا أيضًا فقط غير هناك هنا يمكن يمكنك
        عليك لك به بها فيها منها""",
    "fa": """و در به از که این آن با را است هست برای یک تا بر هم یا اما اگر می نمی شود شده کرد کند
        کنید خود ما شما او آنها هر همه نیز بود باشد دارد""",
    "he": """של את על עם זה זו זאת הוא היא הם הן אני אתה אתם לא כן גם או אם כי מה מי איך כל יש אין
        היה היתה להיות אבל רק עוד כמו אחרי לפני בין אל מן כדי אפשר ניתן""",
}

_KO = """또한 또는 그리고 하지만 그러나 그래서 따라서 모든 같은 다른
    위해 위한 통해 대한 대해 경우 있습니다 있어요 있는 있으며 있고
    없습니다 없는 합니다 해요 하세요 하는 하고 하면 하려면 하여
    해야 되는 됩니다 돼요 이는 이를 이런 그런 여기 거기 참고하세요
    입니다 이에요 예요 에서 에게 으로"""
"""Korean: conjunctions, nouns of grammar (경우, 통해) and polite verb forms, of two syllables or more (the
tokenizer drops one-letter words). Particles stay attached to their words (이미지를), as Korean is written;
splitting them off needs a dictionary."""

_HIRAGANA = [chr(c) for c in range(0x3041, 0x3097)] + ["ー"]
_JA = {a + b for a in _HIRAGANA for b in _HIRAGANA} | set(_HIRAGANA)
"""Japanese: every bigram (and lone character) of hiragana alone. Japanese writes its content words
mostly in kanji and katakana, and its particles, verb endings and auxiliaries (して, ます, ください) in
hiragana, which the tokenizer cuts into bigrams; without this a Japanese note's concepts were its grammar."""

def _list(words: Iterable[str]) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFKC", w) for w in words)


LISTS: dict[str, frozenset[str]] = {
    ENGLISH: STOPWORDS, **{lang: _list(words.split()) for lang, words in _WORDS.items()},
    "ko": _list(_KO.split()), "ja": _list(_JA)}
"""Each language's stop words (ISO 639-1 codes), English first: it wins ties."""

_ELISIONS = {
    "fr": ("l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'", "lorsqu'", "puisqu'"),
    "it": ("l'", "d'", "un'", "dell'", "all'", "dall'", "nell'", "sull'", "quell'", "quest'", "c'"),
    "ca": ("l'", "d'", "s'", "m'", "n'", "t'"),
}

_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in LISTS.items():
    for _w in _words:
        _LANGUAGES_OF[_w] = (*_LANGUAGES_OF.get(_w, ()), _lang)


MIN_SHARE = 0.03
"""Share of a note's tokens that must be stop words of its language. Prose has 15-45% (Finnish, Turkish,
Polish 5-15%); a note in a language without a list (Vietnamese, CJK) has a few chance hits, and it keeps
the English list rather than losing words like "ai" or "di" to an Italian one."""

MIN_DISTINCT = 3
"""Distinct stop words of a language other than English, not English ones too, that a note must use to be
in it: "Reading list on the war: war diaries" (German "war") stays English."""


_FAMILY = {"no": "da", "sk": "cs"}
"""Languages written so alike that one note can match either list (Norwegian Bokmål and Danish, Slovak and
Czech): one language for the language part of the note vector, so a one-language vault is not split."""


def family(lang: str) -> str:
    """The language as the note vector's language part counts it (`_FAMILY`)."""
    return _FAMILY.get(lang, lang)


def several_languages(langs: Sequence[str], one_language_share: float) -> bool:
    """Whether notes in `langs` (one a note) make a vault of several languages: no language family
    (`family`) has `one_language_share` of them (`NoteVectorConfig`). The one test of the note vectors'
    language part, the trainer's epochs and search's language boost, so they never disagree."""
    if not langs:
        return False
    return max(Counter(map(family, langs)).values()) < one_language_share * len(langs)


def language_of(paragraphs: Sequence[Sequence[str]]) -> str:
    """The language whose stop words the tokens (stop words kept) use most, if they are at least MIN_SHARE
    of the tokens (and 2), and, for a language other than English, MIN_DISTINCT of its own; else English."""
    counts = Counter(t for p in paragraphs for t in p)
    hits: Counter[str] = Counter()
    own: Counter[str] = Counter()  # distinct stop words of a language that are not English ones
    for word, n in counts.items():
        for lang in _LANGUAGES_OF.get(word, ()):
            hits[lang] += n
            own[lang] += word not in STOPWORDS
    best = max(LISTS, key=lambda lang: hits[lang])  # first of the most hits, in LISTS order
    if hits[best] < max(2.0, MIN_SHARE * counts.total()):
        return _by_script(counts) or ENGLISH
    return best if best == ENGLISH or own[best] >= MIN_DISTINCT else _by_script(counts) or ENGLISH


SCRIPT_LANGUAGES = {"CJK": "zh", "THAI": "th", "KHMER": "km", "LAO": "lo", "MYANMAR": "my", "TIBETAN": "bo",
                    "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am", "SINHALA": "si"}
"""Scripts written by (mostly) one language that has no stop-word list here: a note in them had no stop
words to tell its language by, and was counted as English (`status`: `en 584` for 568 English notes and a
Chinese, Thai and Khmer dozen), so that `similar` put Thai words among a Chinese word's neighbours."""


def _by_script(counts: Counter[str]) -> str:
    """The language of SCRIPT_LANGUAGES whose script most of the tokens' letters are in ("" when none)."""
    scripts: Counter[str] = Counter()
    for word, n in counts.items():
        scripts[unicodedata.name(word[0], "").split(" ")[0]] += n
    script, most = scripts.most_common(1)[0] if scripts else ("", 0)
    return SCRIPT_LANGUAGES.get(script, "") if most > counts.total() / 2 else ""


def stop_word_languages(word: str) -> tuple[str, ...]:
    """The languages that have `word` as a stop word, in LISTS order."""
    return _LANGUAGES_OF.get(word, ())


MAIN_LANGUAGE_SHARE = 0.25
"""A language at least this share of a vault's notes are in (and always the one most are in) is a main
language of the vault: its stop words are stop words to `similar` even where notes in other languages keep
them (English "the" quoted in Danish notes), while in a vault mostly in another language they stay its
words (Danish "is", ice)."""


def main_languages(notes: dict[str, int]) -> frozenset[str]:
    """The main languages of a vault whose notes are in these languages (language: notes); "" stands for
    notes that kept their stop words (`--keep-stopwords`), and has none."""
    total, most = sum(notes.values()), max(notes.values(), default=0)
    return frozenset(lang for lang, n in notes.items() if n == most or n >= MAIN_LANGUAGE_SHARE * total)


PARAGRAPH_MIN_TOKENS = 12
"""Tokens a paragraph needs before it can be in another language than its note (a bilingual note: a French
account with an English summary). Shorter ones (headings, list items, captions) keep the note's language."""

PARAGRAPH_MIN_SHARE = 0.1
"""Share of such a paragraph's tokens (and at least 3) that must be stop words of the other language (prose
has 15-45%; a German paragraph full of English UI names has few English function words and stays German)."""

PARAGRAPH_MARGIN = 2.0
"""...and at least this many times the stop words of the note's language it uses: kindred languages share
many (Danish and Norwegian, Portuguese and Spanish), so a paragraph switches only when it plainly differs."""


def paragraph_languages(paragraphs: Sequence[Sequence[str]], lang: str) -> list[str]:
    """Each paragraph's language: the note's `lang`, except a long paragraph that plainly uses another
    language's stop words (see `language_of`; PARAGRAPH_MIN_TOKENS, PARAGRAPH_MIN_SHARE)."""
    return [_paragraph_language(p, lang) for p in paragraphs]


def _paragraph_language(paragraph: Sequence[str], lang: str) -> str:
    """One pass over the tokens (a vault has ~40 paragraphs a note): the other language's hits must clear
    PARAGRAPH_MIN_SHARE and PARAGRAPH_MARGIN, and, unless English, use MIN_DISTINCT of its own words. (The
    same rules as `language_of`, counted apart: its word-by-word count took twice as long here.)"""
    if len(paragraph) < PARAGRAPH_MIN_TOKENS:
        return lang
    hits = Counter(each for t in paragraph for each in _LANGUAGES_OF.get(t, ()))
    if not hits:
        return lang
    own = max(LISTS, key=lambda each: hits.get(each, 0))  # ties: the first in LISTS, as `language_of`
    n, theirs = hits[own], hits.get(lang or ENGLISH, 0)
    enough = n >= max(3.0, PARAGRAPH_MIN_SHARE * len(paragraph))
    if own == lang or not enough or n < PARAGRAPH_MARGIN * max(theirs, 1):
        return lang
    distinct = {t for t in paragraph if t in LISTS[own] and t not in STOPWORDS}
    return own if own == ENGLISH or len(distinct) >= MIN_DISTINCT else lang


def _unelided(token: str, elisions: tuple[str, ...]) -> str:
    """"l'application" -> "application", "jusqu'à" -> "à"; "" when one letter is left ("n'y", "c'è": the
    tokenizer drops single letters too); a token without an elided article stays as it is."""
    for prefix in elisions:
        if token.startswith(prefix) and len(token) > len(prefix):
            rest = token[len(prefix):]
            return rest if len(rest) > 1 else ""
    return token


def without_stopwords(paragraphs: Sequence[Sequence[str]], lang: str | Sequence[str]) -> list[list[str]]:
    """Each paragraph without the stop words of `lang`, or of its own language when `lang` is a list of
    one per paragraph (`paragraph_languages`); elisions are removed first, where the language has them."""
    langs = [lang] * len(paragraphs) if isinstance(lang, str) else lang
    return [_without(p, each) for p, each in zip(paragraphs, langs, strict=True)]


def _without(paragraph: Sequence[str], lang: str) -> list[str]:
    stop, elisions = LISTS.get(lang, STOPWORDS), _ELISIONS.get(lang)
    if elisions:
        paragraph = [_unelided(t, elisions) if "'" in t else t for t in paragraph]
    return [t for t in paragraph if t and t not in stop]


def name_tokens(name: str, lang: str, numbers: bool = False) -> list[str]:
    """A title's or alias's tokens as its note's text has them: without the stop words of the note's
    language (`lang` "" keeps them, as `--keep-stopwords` does); with `numbers`, numbers kept (file names)."""
    tokens = tokenize(name, keep_stopwords=True, numbers=numbers)
    return without_stopwords([tokens], lang)[0] if lang else tokens
