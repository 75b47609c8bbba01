"""Refit the shipped link model (``src/newsprism/data/models/link.json``) on every labelled corpus.

The shipped model is fitted on ECB+, BASIL and the SemEval-2022 Task 8 dev pairs together (see
benchmarks/_linking_corpora.py); no figure is ever reported for it on those corpora:
benchmarks/linking_eval.py refits leave-one-corpus-out and reports each corpus with a model that
never saw it.

Run: ``.venv/bin/python benchmarks/fit_link_model.py [--out PATH]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _linking_corpora import basil_corpus, ecbplus_corpus, semeval_corpus

from newsprism.link.model import default_model_path
from newsprism.link.training import fit_link_model


def main(argv: list[str] | None = None) -> int:
    """Fit and write the model; exit 0 with a message when no corpus is present."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent
                        / "src" / "newsprism" / "data" / "models" / "link.json")
    args = parser.parse_args(argv)
    corpora = [c for c in (ecbplus_corpus(), basil_corpus(), semeval_corpus()) if c is not None]
    if not corpora:
        print("skipped: no corpus under ../shared/data")
        return 0
    model = fit_link_model(corpora)
    model.save(args.out)
    print(f"wrote {args.out} (trained on {', '.join(model.trained_on)}; default path {default_model_path()})")
    for name, coef in zip(model.linear.features, model.linear.coef, strict=True):
        print(f"  {name:<12} {coef:+.3f}")
    print(f"  intercept    {model.linear.intercept:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
