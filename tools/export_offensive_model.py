#!/usr/bin/env python3
"""Exports the offensive-language seed model of modq.

The model is the one inside the PyPI package alt-profanity-check (MIT
licence): a TF-IDF vocabulary and five calibrated linear SVMs. This script
writes its numbers to models/offensive-seed.json.gz, which modq loads
natively, and prints reference probabilities for a few fixed sentences so
modq's unit tests can check it scores exactly as the original does.

    python3 -m venv /tmp/pc && /tmp/pc/bin/pip install alt-profanity-check==1.9.1
    /tmp/pc/bin/python tools/export_offensive_model.py
"""

import gzip
import json
import os
import sys

import joblib
import profanity_check

REFERENCE_SENTENCES = [
    "Thanks for the thoughtful article about the council budget.",
    "You are a complete idiot and a moron.",
    "What the fuck is wrong with you, shithead?",
    "I disagree with the mayor, but the piece is fair.",
    "Go to hell, you stupid bastard.",
]


def main():
    data = os.path.join(os.path.dirname(profanity_check.__file__), "data")
    vectorizer = joblib.load(os.path.join(data, "vectorizer.joblib"))
    model = joblib.load(os.path.join(data, "model.joblib"))
    params = vectorizer.get_params()
    assert params["token_pattern"] == r"(?u)\b\w\w+\b", params
    assert params["lowercase"] and params["norm"] == "l2" and params["use_idf"]
    assert not params["sublinear_tf"] and params["ngram_range"] == (1, 1)

    words = [None] * len(vectorizer.vocabulary_)
    for word, index in vectorizer.vocabulary_.items():
        words[index] = word
    classifiers = []
    for calibrated in model.calibrated_classifiers_:
        (calibrator,) = calibrated.calibrators
        classifiers.append(
            {
                "coef": [float(c) for c in calibrated.estimator.coef_[0]],
                "intercept": float(calibrated.estimator.intercept_[0]),
                "a": float(calibrator.a_),
                "b": float(calibrator.b_),
            }
        )
    export = {
        "model": "alt-profanity-check",
        "version": "1.9.1",
        "licence": "MIT. Copyright (c) 2018 Victor Zhou, 2021 Menelaos Kotoglou, and Dimitrios Mistriotis",
        "vocabulary": words,
        "idf": [float(x) for x in vectorizer.idf_],
        "classifiers": classifiers,
    }
    out = os.path.join(os.path.dirname(__file__), "..", "models", "offensive-seed.json.gz")
    text = json.dumps(export, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same model gives the same file, byte for byte.
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(text)
    print(f"wrote {out}: {len(words)} words, {len(classifiers)} classifiers", file=sys.stderr)
    for sentence, p in zip(REFERENCE_SENTENCES, profanity_check.predict_prob(REFERENCE_SENTENCES)):
        print(f"{float(p)!r}\t{sentence}")


if __name__ == "__main__":
    main()
