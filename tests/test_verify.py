import pytest

from pipeline import verify
from pipeline.model import Chapter, Status, Verdict


@pytest.mark.parametrize(
    "status, confidence, settled",
    [
        (Status.UNVERIFIABLE, 0.5, True),
        (Status.VERIFIED, 0.9, True),
        (Status.VERIFIED, 0.6, False),  # the rest of the file may hold a likelier place
        (Status.CORRECTED, 0.99, False),  # the rest of the file may hold a better place, however sure the windows are
        (Status.MISSING, 0.99, False),  # the rest of the file may hold it
    ],
)
def test_which_window_verdicts_are_settled(status, confidence, settled):
    verdict = Verdict(Chapter("Wie lange dauert das?", 30.0), 30.0, status, confidence, "")
    assert verify.surely_settled(verdict) is settled
