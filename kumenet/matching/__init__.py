"""Partner matching: candidates (:mod:`.candidates`), scorers (:mod:`.scorers`,
:mod:`.model`, cached by :mod:`.cache`), suggestions with reasons (:mod:`.recommend`),
consortia (:mod:`.consortium`), temporal evaluation (:mod:`.evaluate`) and value-chain links
(:mod:`.valuechain`).

The functions users call are imported lazily, so ``import kumenet.matching`` loads no heavy
package.
"""

from __future__ import annotations

__all__ = ["recommend_partners", "choose_scorer", "ScorerChoice", "TrainingPlan", "train_scorer",
           "TrainedScorer", "evaluate", "consortia", "SOURCE_KINDS"]

_WHERE = {"recommend_partners": "recommend", "SOURCE_KINDS": "recommend",
          "choose_scorer": "model", "ScorerChoice": "model", "TrainingPlan": "model",
          "train_scorer": "model", "TrainedScorer": "scorers", "evaluate": "evaluate",
          "consortia": "consortium"}


def __getattr__(name: str):
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"kumenet.matching.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'kumenet.matching' has no attribute {name!r}")
