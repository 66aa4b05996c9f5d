"""pytest plugin for `run.py --no-shrink`: Hypothesis reports the first failing example it finds
instead of spending minutes shrinking it (a quick triage run; the default run shrinks)."""

import pytest
from hypothesis import Phase, settings


@pytest.hookimpl(trylast=True)  # after the suite's conftest loads its "array-api-tests" profile
def pytest_configure(config):
    phases = [p for p in Phase if p is not Phase.shrink]
    settings.register_profile("array-api-tests-no-shrink", settings(settings.get_profile("array-api-tests"), phases=phases))
    settings.load_profile("array-api-tests-no-shrink")
