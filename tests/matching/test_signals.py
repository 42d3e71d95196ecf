import numpy as np
import scipy.sparse as sp

from matching import signals as sig
from matching.vocabulary import SkillVocabulary


def test_overlap_counts_held_ids_per_row():
    m = sp.csr_matrix(np.array([[1, 1, 0], [0, 0, 1], [0, 0, 0]], dtype=np.float32))
    assert sig.overlap(m, [0, 2]).tolist() == [1.0, 1.0, 0.0]


def test_coverage_is_unknown_when_nothing_is_wanted():
    values, known = sig.coverage(np.array([2.0, 0.0]), np.array([4.0, 0.0]))
    assert values[0] == 0.5 and known.tolist() == [True, False]


def test_place_same_region_or_remote_both_sides():
    v, k = sig.place(np.array([1, 1, 1, -1]), np.array([0, 1, 0, -1]),
                     np.array([1, 2, 2, -1]), np.array([0, 1, -1, -1]))
    assert v.tolist()[:3] == [1.0, 1.0, 0.0] and k.tolist() == [True, True, True, False]


def test_availability_caps_at_one_and_nan_is_unknown():
    v, k = sig.availability(np.array([8.0, 3.0, np.nan]), np.array([6.0, 6.0, 6.0]))
    assert v[0] == 1.0 and v[1] == 0.5 and not k[2]


def test_combine_leaves_unknown_signals_out():
    s = {
        "text": (np.array([0.2]), np.array([True])),
        "causes": (np.array([0.0]), np.array([False])),
    }
    assert sig.combine(s, {"text": 1.0, "causes": 1.0})[0] == 0.2


def test_vocabulary_finds_soc_and_normalises_aliases():
    vocab = SkillVocabulary.default()
    assert "security-operations" in vocab.find_in_text("I run our SOC")
    assert vocab.normalise("Cyber Security") == "cybersecurity"
    assert vocab.normalise("basket weaving") == "other:basket weaving"
    assert vocab.find_in_text("it is what it is") == frozenset()
