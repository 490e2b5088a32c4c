"""How many documents a second `nlp.analyse` handles on one core.

Documents are generated from this script's own sentence templates (never from the evaluation
set): typical ~3,000-character Arabic and English articles, about a third reporting an incident,
the rest politics, economy and advocacy text, as a crawl brings them. The target is at least 400
documents a second.

    .venv/bin/python bench/nlp_speed.py [--docs 2000] [--seconds 5] [--profile 15]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from datetime import date

from nlp import analyse

CITIES = {
    "en": ["Tripoli", "Benghazi", "Misrata", "Sabha", "Zawiya", "Sirte", "Derna", "Tarhuna"],
    "ar": ["طرابلس", "بنغازي", "مصراتة", "سبها", "الزاوية", "سرت", "درنة", "ترهونة"],
}
EVENTS = {
    "en": [
        "Armed men abducted {n} activists in {city} on {day} May 2023, relatives said.",
        "An air strike hit a residential area in {city} on {day} May, killing {n} civilians.",
        "Security forces fired live ammunition to disperse protesters in {city} on Friday.",
        "Former detainees said guards beat and tortured them in a prison near {city}.",
        "The bodies of {n} migrants were found on a beach west of {city} on {day} May.",
        "Gunmen shot dead a lawyer outside his home in {city}, his family said.",
    ],
    "ar": [
        "اختطف مسلحون مجهولون {n} من النشطاء في {city} يوم {day} مايو 2023 بحسب ذويهم.",
        "أسفرت غارة جوية على حي سكني في {city} يوم {day} مايو عن مقتل {n} مدنيين.",
        "أطلقت قوات الأمن الرصاص الحي لتفريق المتظاهرين في {city} يوم الجمعة.",
        "قال محتجزون سابقون إن الحراس عذبوهم وضربوهم في سجن قرب {city}.",
        "عثر على جثث {n} مهاجرين على شاطئ غرب {city} يوم {day} مايو.",
    ],
}
FILLER = {
    "en": [
        "The government said it would present a new budget to parliament next month.",
        "Oil production rose to 1.2 million barrels a day, the national oil company said.",
        "The UN envoy met political leaders in {city} to discuss the road map to elections.",
        "Rights groups called for accountability and an end to impunity in Libya.",
        "The central bank announced new measures on the exchange rate of the dinar.",
        "Local officials in {city} inaugurated a new water plant serving 40,000 residents.",
        "The football federation said the league would resume after the summer break.",
        "Analysts said the talks between the rival governments had made little progress.",
        "Prices of bread and fuel continued to rise in several cities, traders said.",
        "The ministry of health reported progress in its vaccination campaign in {city}.",
    ],
    "ar": [
        "قالت الحكومة إنها ستقدم ميزانية جديدة إلى مجلس النواب الشهر المقبل.",
        "ارتفع إنتاج النفط إلى مليون ومئتي ألف برميل يوميا بحسب المؤسسة الوطنية للنفط.",
        "التقى المبعوث الأممي قادة سياسيين في {city} لبحث خارطة الطريق نحو الانتخابات.",
        "دعت منظمات حقوقية إلى المحاسبة ووضع حد للإفلات من العقاب في ليبيا.",
        "أعلن المصرف المركزي إجراءات جديدة بشأن سعر صرف الدينار.",
        "افتتح مسؤولون محليون في {city} محطة مياه جديدة تخدم أربعين ألف نسمة.",
        "قال الاتحاد الليبي لكرة القدم إن الدوري سيستأنف بعد العطلة الصيفية.",
        "قال محللون إن المحادثات بين الحكومتين المتنافستين لم تحرز تقدما يذكر.",
        "واصلت أسعار الخبز والوقود ارتفاعها في عدة مدن بحسب التجار.",
        "أعلنت وزارة الصحة تقدما في حملة التطعيم في {city}.",
    ],
}
TARGET_CHARS = 3000


def make_document(rng: random.Random, language: str, chars: int = TARGET_CHARS) -> str:
    """An article of about `chars` characters; a third of them report an incident."""
    city = rng.choice(CITIES[language])
    sentences = []
    if rng.random() < 1 / 3:
        sentences.append(rng.choice(EVENTS[language]))
    length = sum(len(s) for s in sentences)
    while length < chars:
        sentence = rng.choice(FILLER[language])
        sentences.append(sentence)
        length += len(sentence) + 1
    rng.shuffle(sentences)
    text = " ".join(sentences)
    return text.format(city=city, n=rng.randint(2, 12), day=rng.randint(1, 28))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="distinct documents to generate")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to measure")
    parser.add_argument(
        "--profile", type=int, metavar="N", default=0, help="then print the top N functions"
    )
    args = parser.parse_args()
    rng = random.Random(20261122)
    docs = [
        (make_document(rng, language), language)
        for language in ("ar", "en")
        for _ in range(args.docs // 2)
    ]
    rng.shuffle(docs)
    published = date(2023, 5, 30)
    for text, language in docs[:50]:  # load lexicons and gazetteer before timing
        analyse(text, language, published)
    done = incidents = 0
    chars = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for text, language in docs:
            incidents += len(analyse(text, language, published).incidents)
            chars += len(text)
            done += 1
        if done >= 10 * len(docs):
            break
    elapsed = time.perf_counter() - start
    print(
        f"{done / elapsed:.0f} documents/s on one core "
        f"({done} documents, mean {chars / done:.0f} characters, "
        f"{incidents / done:.2f} incidents a document, {elapsed:.1f} s)"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for text, language in docs:
            analyse(text, language, published)
        profiler.disable()
        print(f"\nWhere the time goes ({len(docs)} documents, by own time):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
