import pytest

from pipeline import verify
from pipeline.model import Chapter, Status, Transcript, Verdict, Word


def test_wider_windows_replace_the_words_where_they_were_transcribed():
    first = Transcript(words=(Word("a", 1.0, 1.2, 0.9), Word("b", 50.0, 50.2, 0.9), Word("c", 99.0, 99.2, 0.9)), language="de", duration_s=100.0, model="base")
    wider = Transcript(words=(Word("B", 45.0, 45.2, 0.9), Word("B2", 51.0, 51.2, 0.9)), language="de", duration_s=100.0, model="base")
    assert [w.text for w in verify.joined(first, wider, [(40.0, 60.0)]).words] == ["a", "B", "B2", "c"]


@pytest.mark.parametrize(
    "status, confidence, settled",
    [
        (Status.UNVERIFIABLE, 0.5, True),
        (Status.VERIFIED, 0.9, True),
        (Status.VERIFIED, 0.6, False),  # the rest of the file may hold a likelier place
        (Status.CORRECTED, 0.97, True),  # found as surely elsewhere in the window
        (Status.CORRECTED, 0.9, False),  # the rest of the file may hold a better place
        (Status.MISSING, 0.99, False),  # the rest of the file may hold it
    ],
)
def test_which_window_verdicts_are_settled(status, confidence, settled):
    verdict = Verdict(Chapter("Wie lange dauert das?", 30.0), 30.0, status, confidence, "")
    assert verify.surely_settled(verdict) is settled
