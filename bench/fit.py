"""`python -m bench fit`: the alignment's evidence weights, estimated on the tuning episodes only.

Two models (pipeline/align/features.py), fitted with a small L2 penalty by Newton's method:
- does a chapter start at this opening? A logistic regression over every opening of every tuning
  episode, labelled 1 where a spoken chapter really begins (its sound starts inside the true
  pause). Its intercept is shifted by the training base rate, so that the output is a likelihood
  ratio (how much likelier a start than an opening at random).
- which chapter starts here? A conditional logit over the episode's chapters, on the true starts.
And one number (pipeline/align/__init__.py, CONTENT_SHARPNESS): how sharply a passage's meaning says
which chapter it lies in, for placing lists without times.
The held-out episodes are never read here.
"""

from __future__ import annotations

import json

import numpy as np

from pipeline import episode as episodes_module
from pipeline import meaning, passages, run
from pipeline.align import Heard, _belonging, _weigh, features, is_unspoken, starts
from pipeline.transcribe import TranscribeOptions

L2 = 1.0
# The start model is also fitted without its voice cues (the last columns), for episodes that lack them.
VOICE_COLUMNS = (features.START_FEATURES.index("voice change over usual"), features.START_FEATURES.index("asker's voice"))


def _read(selected):
    """Per tuning episode: (truth, shownote chapters, the episode, its transcript from the cache)."""
    for _name, mp3, notes, truth_path in selected:
        chapters, text = run.read_shownotes(notes)
        the_episode = episodes_module.load(mp3)
        yield json.loads(truth_path.read_text(encoding="utf-8")), chapters, the_episode, episodes_module.transcript(the_episode, TranscribeOptions(), text, None)


def _in_window(onset_s: float, window) -> bool:
    """An opening starts the chapter whose truth window (the pause before it) holds its onset, give or take 0.5 s."""
    return window[0] - 0.5 <= onset_s <= window[1] + 0.5


def episode_rows(selected):
    """Per tuning episode: (start features, start labels, chapter features, true chapter per opening or -1;
    and over every opening: the titles' meaning z-scores, the chapter each lies in or -1 before the first)."""
    for truth, chapters, the_episode, transcript in _read(selected):
        spoken = [k for k, c in enumerate(chapters) if not is_unspoken(c.title)]
        titles = [chapters[k].title for k in spoken]
        opens, evidence = _weigh(titles, Heard(transcript, the_episode.loudness_db, None, meaning.similarity, the_episode.voice_spectra))  # as align weighs them
        owner = np.full(len(opens), -1)
        unclear = np.zeros(len(opens), dtype=bool)
        for row, k in enumerate(spoken):
            window = truth["chapters"][k].get("window")
            for j, opening in enumerate(opens):
                if window is not None and _in_window(opening.onset_s, window):
                    owner[j] = row
            for j in np.flatnonzero(owner == row):  # the question after its lead-in is not a wrong start, nor the right one
                unclear |= np.array([opens[j].first_word < o.first_word <= opens[j].passage_end and o.onset_s - opens[j].onset_s <= 5.0 for o in opens]) & (owner < 0)
        keep = ~unclear
        lies_in = np.maximum.accumulate(owner)  # owners rise in time order; -1 until the first
        yield evidence.start_features()[keep], (owner[keep] >= 0).astype(float), evidence.chapter_features()[:, keep], owner[keep], (evidence.meaning_z, lies_in)


def newton(gradient_and_hessian, size: int, l2: float, penalise_first: bool, steps: int = 100) -> np.ndarray:
    weights = np.zeros(size)
    penalty = np.full(size, l2)
    if not penalise_first:
        penalty[0] = 0.0
    for _ in range(steps):
        gradient, hessian = gradient_and_hessian(weights)
        step = np.linalg.solve(hessian + np.diag(penalty) + 1e-9 * np.eye(size), gradient + penalty * weights)
        weights -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return weights


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    """Logistic regression weights (the intercept, column 0, unpenalised): posterior log-odds."""
    def gradient_and_hessian(weights):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        return x.T @ (p - y), (x * (p * (1 - p))[:, None]).T @ x

    return newton(gradient_and_hessian, x.shape[1], l2, penalise_first=False)


def fit_start(x: np.ndarray, y: np.ndarray, l2: float = L2) -> np.ndarray:
    weights = fit_logistic(x, y, l2)
    weights[0] -= np.log(y.mean() / (1 - y.mean()))  # posterior odds → likelihood ratio
    return weights


def fit_chapter(groups: list[tuple[np.ndarray, int]], l2: float = L2) -> np.ndarray:
    """groups: (chapters × features at one true start, index of the true chapter)."""

    def gradient_and_hessian(weights):
        gradient = np.zeros(len(weights))
        hessian = np.zeros((len(weights), len(weights)))
        for x, truth in groups:
            scores = x @ weights
            p = np.exp(scores - np.logaddexp.reduce(scores))
            mean = p @ x
            gradient += mean - x[truth]
            hessian += (x * p[:, None]).T @ x - np.outer(mean, mean)
        return gradient, hessian

    return newton(gradient_and_hessian, groups[0][0].shape[1], l2, penalise_first=True)


def fit(selected) -> None:
    starts_x, starts_y, groups, contents = [], [], [], []
    for start_x, start_y, chapter_x, owner, content in episode_rows(selected):
        contents.append(content)
        starts_x.append(start_x)
        starts_y.append(start_y)
        groups += [(chapter_x[:, j], int(owner[j])) for j in np.flatnonzero(owner >= 0)]
    x, y = np.concatenate(starts_x), np.concatenate(starts_y)
    start = fit_start(x, y)
    without_asker, without_voice = fit_start(x[:, : VOICE_COLUMNS[1]], y), fit_start(x[:, : VOICE_COLUMNS[0]], y)
    chapter = fit_chapter(groups)
    print(f"{int(y.sum())} true starts among {len(y)} openings of {len(selected)} tuning episodes")
    for label, names, weights in (("does a chapter start here?", features.START_FEATURES, start), ("which chapter?", features.CHAPTER_FEATURES, chapter)):
        print(label)
        for name, value in zip(names, weights):
            print(f"  {name:<24}{value:8.3f}")
    for name, weights in (("START_WEIGHTS", start), ("START_WEIGHTS_WITHOUT_ASKER", without_asker), ("START_WEIGHTS_WITHOUT_VOICE", without_voice)):
        print(f"{name} = np.array([" + ", ".join(f"{w:.3f}" for w in weights) + "])")
    print("CHAPTER_WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in chapter) + "])")
    print(f"CONTENT_SHARPNESS = {fit_content_sharpness(contents):.2f}  # pipeline/align/__init__.py")


def fit_content_sharpness(contents, grid=np.arange(0.05, 3.0, 0.05)) -> float:
    """The sharpness under which the tuning episodes' passages are likeliest to belong to the
    chapters they lie in (align._belonging): a single number, found on a grid."""

    def log_likelihood(sharpness: float) -> float:
        total = 0.0
        for meaning_z, lies_in in contents:
            total += float(_belonging(meaning_z, sharpness)[lies_in + 1, np.arange(len(lies_in))].sum())
        return total

    return float(max(grid, key=log_likelihood))


def proposal_rows(selected):
    """Per tuning episode: (title-free cues of every opening, 1 where a chapter really begins)."""
    for truth, _chapters, the_episode, transcript in _read(selected):
        opens = passages.openings(transcript.words, the_episode.loudness_db)
        x, _evidence = starts.cues(opens, transcript.words, the_episode.loudness_db, the_episode.meaning_vectors.similarity, the_episode.voice_spectra)
        windows = [c["window"] for c in truth["chapters"] if c.get("window") and c["start"] > 1.0]
        y = np.array([any(_in_window(o.onset_s, window) for window in windows) for o in opens], dtype=float)
        yield x, y


def fit_proposals(selected) -> None:
    """The proposal model (pipeline/align/starts.py): a logistic regression over every opening of every
    tuning episode; its output is the probability that a chapter starts there (no base-rate shift:
    proposals are chosen where it is likelier than not)."""
    rows = list(proposal_rows(selected))
    x, y = np.concatenate([r[0] for r in rows]), np.concatenate([r[1] for r in rows])
    asker = starts.FEATURES.index("asker's voice")
    weights, without = fit_logistic(x, y), fit_logistic(np.delete(x, asker, axis=1), y)
    print(f"{int(y.sum())} true starts among {len(y)} openings of {len(selected)} tuning episodes")
    for name, value in zip(starts.FEATURES, weights):
        print(f"  {name:<24}{value:8.3f}")
    print("WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in weights) + "])")
    print("WEIGHTS_WITHOUT_ASKER = np.array([" + ", ".join(f"{w:.3f}" for w in np.insert(without, asker, 0.0)) + "])")
