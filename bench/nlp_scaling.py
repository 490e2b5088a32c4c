"""Time per character of `nlp.analyse` on hostile pages, from 10k to 1M characters.

Scraped text is hostile: a page may be one endless sentence of casualty phrases, thousands of dates
or numbers or places in a row, acts joined by "while", or a flood of short sentences. Each shape is
repeated from this script's own phrases to each size, and analysed once. Cost linear in the text
shows as a flat row: the same microseconds per character at every size (timing noise aside; the last
column is the largest size's figure over the smallest's).

    .venv/bin/python bench/nlp_scaling.py [--max 1000000] [--shapes casualties_en dates_en]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from nlp import analyse

# A phrase repeated without a sentence end makes one sentence of any length.
SHAPES = {
    "casualties_en": ("killed 5 civilians and wounded 3 children, ", "en"),
    "casualties_ar": ("مقتل 5 مدنيين وإصابة 3 أطفال و", "ar"),
    "numbers_en": ("killed 5 7 9 civilians ", "en"),
    "dates_en": ("killed on 3 May 2023, ", "en"),
    "dates_ar": ("قتل يوم 3 مايو 2023 و", "ar"),
    "places_en": ("killed in Tripoli and Misrata, ", "en"),
    "places_ar": ("قتل في طرابلس ومصراتة والزاوية وسوق الجمعة و", "ar"),
    "while_en": ("Gunmen killed a man in Sirte while ", "en"),
    "while_ar": ("قتل مسلحون رجلا في سرت فيما ", "ar"),
    "sentences_en": ("Armed men killed 5 civilians in Tripoli on 3 May 2023. ", "en"),
    "sentences_ar": ("قتل مسلحون 5 مدنيين في طرابلس يوم 3 مايو 2023. ", "ar"),
}
SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)
PUBLISHED = date(2023, 5, 30)


def per_char(phrase: str, language: str, size: int) -> float:
    """CPU microseconds per character to analyse `phrase` repeated to about `size` characters."""
    text = phrase * max(1, size // len(phrase))
    # CPU time of this process: on a shared machine, wall time counts the neighbours' work too.
    start = time.process_time()
    analyse(text, language, PUBLISHED)
    return (time.process_time() - start) * 1e6 / len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=SIZES[-1], help="largest size, characters")
    parser.add_argument("--shapes", nargs="*", choices=sorted(SHAPES), default=sorted(SHAPES))
    args = parser.parse_args()
    sizes = [s for s in SIZES if s <= args.max]
    print(f"{'shape':15}" + "".join(f"{s:>10,}" for s in sizes) + "  µs/char, last/first")
    for name in args.shapes:
        phrase, language = SHAPES[name]
        analyse(phrase * 3, language, PUBLISHED)  # load lexicons and gazetteer before timing
        row = [per_char(phrase, language, size) for size in sizes]
        cells = "".join(f"{v:>10.2f}" for v in row)
        print(f"{name:15}{cells}  {row[-1] / row[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
