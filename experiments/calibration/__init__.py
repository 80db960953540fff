"""Calibration: which values of the unpublished parameters agree with the published record.

A calibration spec (``experiments/calibration/*.yaml``, see :mod:`.spec`) names the free
parameters with their priors, the published figures to meet (each by its
``docs/EVIDENCE.md`` row id, measured in the scenario the evaluation ran in: see
:mod:`.statistics`), and the method's budget. :mod:`.abc` runs pyabc's ABC-SMC on the
local or Dask backend (:mod:`.sampler` keeps it reproducible), and :mod:`.outputs` writes
the posterior, the posterior-predictive check and the manifest. The shipped posterior
lives beside the specs. Without calibrating, :mod:`.checks` measures a spec's targets at
the model's defaults (``netmob targets``; the programme and typology checks of the tests).
History matching (``--method history``, :mod:`.match`: waves in :mod:`.history`, emulators,
conflicts, the posterior by SMC) ships its posterior with the checks of
:mod:`.validation_checks`, and :mod:`.gate` draws from it only when those checks passed.
"""

from __future__ import annotations


def library() -> list[str]:
    """Names of the shipped calibration specs, sorted."""
    from netmob.experiments.calibration.spec import CalibrationSpec

    return CalibrationSpec.library()
