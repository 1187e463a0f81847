"""The learned guard: a deterministic trainer whose output is the shipped weights; it only adds redirects."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.guard_model import MODEL_PATH, GuardModel

ROOT = Path(__file__).resolve().parents[2]


def _trainer():
    spec = importlib.util.spec_from_file_location("learn_guard", ROOT / "bench" / "learn_guard.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["learn_guard"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_trainer_is_deterministic_and_the_shipped_weights_match_it(kb: KnowledgeBase) -> None:
    trainer = _trainer()
    first = trainer.render(trainer.train(kb))
    assert first == trainer.render(trainer.train(kb))
    assert first == MODEL_PATH.read_text(encoding="utf-8")


def test_it_loads_one_model_per_redirect_kind() -> None:
    model = GuardModel.load()
    assert set(model.kinds) == {"off_topic", "abuse", "injection"}
    assert model.weights.shape == (3, 256 + len(model.mean))
    assert np.all(model.std > 0)


def test_a_question_the_rules_answer_is_answered_below_every_threshold(kb: KnowledgeBase) -> None:
    kind, vector, row = kb.guard_inputs("How do I bulkify a trigger that updates related contacts?")
    assert kind == "on_topic" and kb.guard.kind(vector, row) is None
    assert kb.analyse("How do I bulkify a trigger that updates related contacts?").kind == "on_topic"
