from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.cma.classify import agreement, confidence, softmax
from projects.cma.classify.calibrate import agreement_rows, fit_confidence, train
from projects.cma.classify.model import MODEL_PATH
from projects.cma.classify.training import dump, examples, own_rows


class Command(BaseCommand):
    help = (
        "Trains the classifier's word model from the project's own examples and fits its"
        " blend and calibration on the labelled corpus; writes projects/cma/classify/"
        "model.json (same inputs, same file). See projects/cma/classify/MODEL.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="Default: model.json, or reader.json."
        )
        parser.add_argument(
            "--corpus",
            type=Path,
            default=Path(settings.BASE_DIR) / "bench" / "corpus",
            help="Labelled corpus the blend and calibration are fitted on.",
        )
        parser.add_argument(
            "--no-calibration",
            action="store_true",
            help="Word model only: no corpus read, confidences uncalibrated.",
        )
        parser.add_argument(
            "--activate",
            action="store_true",
            help="Mark the file active: classify then blends it with the rules (off by"
            " default until it beats them held out; MODEL.md).",
        )

        parser.add_argument(
            "--reader",
            action="store_true",
            help="Instead: train the second reader (a logistic regression) on the project's"
            " examples and its own ledger lists of the development split and write"
            " projects/cma/classify/reader.json.",
        )
        parser.add_argument(
            "--agreement",
            action="store_true",
            help="Instead: fit how far the second reader's agreement with the rules moves"
            " their confidence, on the development sources each read held out, and write"
            " projects/cma/classify/agreement.json (after --confidence and --reader).",
        )
        parser.add_argument(
            "--confidence",
            action="store_true",
            help="Instead: fit the rule table's confidence map on the corpus's development"
            " sources only and write projects/cma/classify/calibration.json.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["agreement"]:
            rows = agreement_rows(options["corpus"])
            if not rows:
                raise CommandError(f"No development source under {options['corpus']}.")
            tree = agreement.fit_agreement([(inputs, right) for inputs, right, _ in rows])
            text = dump(tree)
            agreement.AGREEMENT_PATH.write_text(text, encoding="utf-8")
            self.stdout.write(
                f"Wrote {agreement.AGREEMENT_PATH} (fitted on {len(rows)} held-out readings"
                f" of {len({source for _, _, source in rows})} development sources; shift"
                f" {tree['shift']})"
            )
            return
        if options["reader"]:
            rows = own_rows(options["corpus"], among=confidence.DEVELOPMENT_SOURCES)
            tree = softmax.fit_softmax(examples() + rows)
            text = dump(tree)
            output = options["output"] or softmax.READER_PATH
            output.write_text(text, encoding="utf-8")
            self.stdout.write(
                f"Wrote {output} ({len(text) // 1024} KiB, {len(tree['classes'])}"
                f" heads, {len(tree['weights'])} features, {len(rows)} rows of the project's"
                " own ledger lists)"
            )
            return
        if options["confidence"]:
            curves, sources = fit_confidence(options["corpus"])
            if not sources:
                raise CommandError(f"No development source under {options['corpus']}.")
            text = dump(confidence.to_json(curves, sources))
            confidence.CALIBRATION_PATH.write_text(text, encoding="utf-8")
            self.stdout.write(
                f"Wrote {confidence.CALIBRATION_PATH} ({len(curves)} mechanisms, fitted on"
                f" {', '.join(sources)})"
            )
            return
        corpus: Path | None = None if options["no_calibration"] else options["corpus"]
        if corpus is not None and not any(corpus.glob("*.csv")):
            raise CommandError(f"No corpus CSV under {corpus}; use --no-calibration.")
        tree = train(corpus, active=options["activate"])
        text = dump(tree)
        output = options["output"] or MODEL_PATH
        output.write_text(text, encoding="utf-8")
        blend = tree.get("blend")
        self.stdout.write(
            f"Wrote {output} ({len(text) // 1024} KiB, {len(tree['classes'])} heads,"
            f" {len(tree['lifts'])} features"
            + (f", {len(blend['calibration'])} calibration steps)" if blend else ")")
        )
