"""Settings for a whole test session.

A mutation run (``benchmarks/mutation.py``, mutmut) runs the chosen tests many times in one
process, so a property test written as a method runs with several instances of its class;
Hypothesis flags that as "differing executors". It is what a mutation run does, not a fault of
the test, so under mutmut, and only there, that one health check is ignored (tests set their
own ``suppress_health_check`` lists, so a settings profile cannot do it) and examples are
derandomized, so every mutant meets the same examples.
"""

from __future__ import annotations

import sys

if "mutmut" in sys.modules:
    import hypothesis.core
    from hypothesis import HealthCheck, settings

    _check = hypothesis.core.fail_health_check

    def _ignore_differing_executors(settings_, message, health_check):  # noqa: ANN001
        if health_check != HealthCheck.differing_executors:
            _check(settings_, message, health_check)

    hypothesis.core.fail_health_check = _ignore_differing_executors
    settings.register_profile("mutation", derandomize=True, deadline=None)
    settings.load_profile("mutation")
