#!/usr/bin/env python3
"""Do translations carry the names of their source over? For each name of the quickstart dev references (Esther and
2 Thessalonians), counts the verses whose reference has it, and of those the translations that have it exactly or
spelled recognisably: a capitalised word of the translation whose difflib similarity to the name, case and accents
aside, is at least 0.75 ("Aman" or "Amán" for "Haman", "Ester" for "Esther"); of the rest, those that keep the name
as the Spanish source spells it, by the same measure ("Assuero" for "Ahasuerus", "Mardocheo" for "Mordecai": the name
carried over untranslated, as a translator who did not know its English form would); and prints what the name most
often became otherwise.

    /usr/bin/python3 integration-tests/quality/names.py dev.en.gz hypotheses.txt

Standard library only. The names of Esther's story are all but absent from the training half of the corpus (Haman,
Vashti and Esther never occur in it, Mordecai and Ahasuerus in two verses each), so a model can carry them over only
by copying or transliterating the Spanish form.
"""
import difflib
import gzip
import re
import sys
import unicodedata

NAMES = ["Mordecai", "Esther", "Haman", "Ahasuerus", "Susa", "Vashti", "Adar", "Persia", "Media", "Jesus", "Christ"]
# How the Spanish of these verses (Reina-Valera 1909) spells each name; Jesus and Christ are one word there, "Jesucristo".
SOURCE_FORMS = {"Mordecai": "Mardochêo", "Esther": "Esther", "Haman": "Amán", "Ahasuerus": "Assuero", "Susa": "Susán",
                "Vashti": "Vasthi", "Adar": "Adar", "Persia": "Persia", "Media": "Media"}
RECOGNISABLE = 0.75


def lines(path):
    try:
        opened = gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")
        with opened as f:
            return [line.rstrip("\n") for line in f]
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"names.py: cannot read {path}: {e}")


def plain(word):
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def similarity(word, name):
    return difflib.SequenceMatcher(None, plain(word), plain(name)).ratio()


def capitalised_words(text):
    return [w for w in re.findall(r"[^\W\d_]+", text) if w[0].isupper()]


def main(ref_path, hyp_path):
    refs, hyps = lines(ref_path), lines(hyp_path)
    if len(refs) != len(hyps):
        sys.exit(f"names.py: {ref_path} has {len(refs)} lines but {hyp_path} has {len(hyps)}")
    print("name\tverses\texact\trecognisable\tas the source\tmost often instead")
    totals = [0, 0, 0, 0]
    for name in NAMES:
        verses = exact = close = untranslated = 0
        source_form = SOURCE_FORMS.get(name)
        instead = {}
        for ref, hyp in zip(refs, hyps):
            if not re.search(r"\b%s\b" % name, ref):
                continue
            verses += 1
            words = capitalised_words(hyp)
            if name in words:
                exact += 1
                continue
            best = max(words, key=lambda w: similarity(w, name), default="")
            if best and similarity(best, name) >= RECOGNISABLE:
                close += 1
            elif source_form and any(similarity(w, source_form) >= RECOGNISABLE for w in words):
                untranslated += 1
            else:
                instead[best or "-"] = instead.get(best or "-", 0) + 1
        totals = [t + n for t, n in zip(totals, [verses, exact, close, untranslated])]
        common = ", ".join(f"{w} ({n})" for w, n in sorted(instead.items(), key=lambda x: -x[1])[:3])
        print(f"{name}\t{verses}\t{exact}\t{close}\t{untranslated}\t{common}")
    print("all\t" + "\t".join(str(t) for t in totals))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: names.py REFERENCES HYPOTHESES")
    main(sys.argv[1], sys.argv[2])
